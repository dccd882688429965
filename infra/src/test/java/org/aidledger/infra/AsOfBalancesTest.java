package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Balances as of a value date or an event position equal a replay of the events themselves,
 * truncated at that point, on a ledger with backdated entries and a reversal. The replay here is
 * the test's own reading of the event rows, independent of the projection under test.
 */
class AsOfBalancesTest extends LedgerIntegrationTest {

    private record Event(long position, String type, JsonNode payload) {
        LocalDate valueDate() {
            return LocalDate.parse(payload.get("valueDate").asText());
        }

        long amount() {
            return payload.get("amount").get("amountMinor").asLong();
        }
    }

    private List<Event> events(String fundId) throws Exception {
        List<Event> events = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("SELECT globalindex, payloadtype,"
                + " convert_from(payload, 'UTF8') AS payload FROM domainevententry"
                + " WHERE aggregateidentifier = ? ORDER BY globalindex", fundId)) {
            String type = (String) row.get("payloadtype");
            events.add(new Event((Long) row.get("globalindex"),
                    type.substring(type.lastIndexOf('.') + 1),
                    json.readTree((String) row.get("payload"))));
        }
        return events;
    }

    /** Cash after replaying every event at or before the position and on or before the date. */
    private static long replayedCash(List<Event> events, long upTo, LocalDate onOrBefore) {
        long cash = 0;
        for (Event e : events) {
            if (e.position() > upTo || !e.payload().has("valueDate")
                    || e.valueDate().isAfter(onOrBefore)) {
                continue;
            }
            switch (e.type()) {
                case "DonationReceived", "AllocationReceived", "SubsidyReserveWithdrawn" ->
                        cash += e.amount();
                case "PayoutPaid", "SubsidyReserveDeposited" -> cash -= e.amount();
                case "TransactionReversed" -> {
                    String kind = e.payload().get("reversedKind").asText();
                    cash += switch (kind) {
                        case "DONATION", "ALLOCATION", "RESERVE_WITHDRAWAL" -> -e.amount();
                        default -> e.amount();
                    };
                }
                default -> {
                    // Requests, approvals and the opening move no money.
                }
            }
        }
        return cash;
    }

    private long restCash(String fundId, String query) {
        JsonNode b = ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/balances?" + query)).body();
        return new java.math.BigDecimal(b.get("cash").asText()).movePointRight(2)
                .longValueExact();
    }

    @Test
    void asOfDateAndPositionEqualATruncatedReplay() throws Exception {
        String fundId = openFund("5000.00");
        String donations = "/api/v1/funds/" + fundId + "/donations";
        ok(post(ADMIN, newTx(), donations, Map.of("donorType", "COMPANY", "amount", "1000.00",
                "currency", "CNY", "valueDate", "2026-03-10")));
        String backdated = ok(post(ADMIN, newTx(), donations, Map.of("donorType", "COMPANY",
                "amount", "400.00", "currency", "CNY", "valueDate", "2026-02-01")))
                .body().get("transactionId").asText();
        String payout = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts",
                Map.of("beneficiaryId", "b-1", "category", "MEDICAL", "amount", "300.00",
                        "currency", "CNY", "reason", "clinic", "valueDate", "2026-03-12")))
                .body().get("payoutId").asText();
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts/" + payout + "/pay",
                Map.of("valueDate", "2026-03-15")));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reserves/" + id("cu")
                + "/deposits", Map.of("amount", "200.00", "currency", "CNY",
                "valueDate", "2026-04-01")));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals", Map.of(
                "transactionId", backdated, "reason", "cheque bounced",
                "valueDate", "2026-04-20")));
        ok(post(ADMIN, newTx(), donations, Map.of("donorType", "ANONYMOUS", "amount", "50.00",
                "currency", "CNY", "valueDate", "2026-01-15")));
        awaitProjections();

        List<Event> events = events(fundId);
        LocalDate end = LocalDate.of(2026, 12, 31);
        for (Event e : events) {
            long expected = replayedCash(events, e.position(), end);
            assertThat(restCash(fundId, "asOfPosition=" + e.position()))
                    .as("cash as of position %d", e.position()).isEqualTo(expected);
        }
        for (String date : List.of("2026-01-14", "2026-01-15", "2026-02-01", "2026-03-10",
                "2026-03-14", "2026-03-15", "2026-04-01", "2026-04-19", "2026-04-20")) {
            long expected = replayedCash(events, Long.MAX_VALUE, LocalDate.parse(date));
            assertThat(restCash(fundId, "asOf=" + date)).as("cash as of %s", date)
                    .isEqualTo(expected);
        }
        // Both bounds at once: the backdated donation at its position, seen from March.
        long middle = events.get(events.size() / 2).position();
        assertThat(restCash(fundId, "asOf=2026-03-31&asOfPosition=" + middle))
                .isEqualTo(replayedCash(events, middle, LocalDate.of(2026, 3, 31)));
        // And the present equals the whole replay.
        assertThat(restCash(fundId, "asOf=2026-12-31"))
                .isEqualTo(replayedCash(events, Long.MAX_VALUE, end)).isEqualTo(55000L);
    }
}
