package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Closed periods refuse new entries dated in them, and their closing balances stay frozen. */
class PeriodCloseTest extends LedgerIntegrationTest {

    private Answer donation(String fundId, String amount, String valueDate) {
        return post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/donations", Map.of(
                "donorType", "COMPANY", "amount", amount, "currency", "CNY",
                "valueDate", valueDate));
    }

    @Test
    void closedPeriodRefusesEntriesAndCorrectionsPostInTheOpenPeriod() {
        String fundId = openFund("2000.00");
        String january = ok(donation(fundId, "700.00", "2026-01-20")).body()
                .get("transactionId").asText();
        ok(donation(fundId, "300.00", "2026-02-10"));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reserves/" + id("cu")
                + "/deposits", Map.of("amount", "100.00", "currency", "CNY",
                "valueDate", "2026-02-11")));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/periods/2026-02/close", Map.of()));
        awaitProjections();

        long events = eventCount();
        List<String> before = readModelOf(fundId);
        Answer late = donation(fundId, "50.00", "2026-02-28");
        assertThat(late.status()).as(late.raw()).isEqualTo(422);
        assertThat(late.rule()).isEqualTo("PERIOD_CLOSED");
        Answer latePayout = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts",
                Map.of("beneficiaryId", "b-1", "category", "MEDICAL", "amount", "10.00",
                        "currency", "CNY", "reason", "x", "valueDate", "2026-01-05"));
        assertThat(latePayout.rule()).isEqualTo("PERIOD_CLOSED");
        Answer reversalInClosed = post(ADMIN, newTx(), "/api/v1/funds/" + fundId
                + "/reversals", Map.of("transactionId", january, "reason", "wrong fund",
                "valueDate", "2026-02-15"));
        assertThat(reversalInClosed.rule()).isEqualTo("PERIOD_CLOSED");
        Answer again = post(ADMIN, newTx(), "/api/v1/funds/" + fundId
                + "/periods/2026-01/close", Map.of());
        assertThat(again.status()).isEqualTo(422);
        assertThat(again.rule()).isEqualTo("PERIOD_ALREADY_CLOSED");
        Answer current = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/periods/"
                + YearMonth.now() + "/close", Map.of());
        assertThat(current.rule()).isEqualTo("PERIOD_NOT_ENDED");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(readModelOf(fundId)).isEqualTo(before);

        // The correction of a January donation posts in the open period, linked to it.
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals", Map.of(
                "transactionId", january, "reason", "belongs to another fund",
                "valueDate", "2026-03-02")));
        awaitProjections();
        JsonNode statements = ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/statements"))
                .body();
        assertThat(statements).hasSize(1);
        JsonNode february = statements.get(0);
        assertThat(february.get("period").asText()).isEqualTo("2026-02");
        assertThat(february.get("closedThrough").asText()).isEqualTo("2026-02-28");
        assertThat(february.get("closedBy").asText()).isEqualTo("admin");
        Map<String, String> closing = new java.util.TreeMap<>();
        february.get("closingBalances").forEach(l -> closing.put(l.get("account").asText(),
                l.get("balance").asText()));
        assertThat(closing).containsEntry("ASSET:CASH", "900.00")
                .containsEntry("ASSET:RESERVE:" + id("cu"), "100.00")
                .containsEntry("INCOME:DONATION", "-1000.00");
        // The frozen figures equal the as-of balance of the period's last day, even after the
        // correction dated in March.
        JsonNode asOf = ok(get(AUDITOR, "/api/v1/funds/" + fundId
                + "/balances?asOf=2026-02-28")).body();
        assertThat(asOf.get("cash").asText()).isEqualTo("900.00");
        assertThat(balances(fundId).get("cash").asText()).isEqualTo("200.00");
    }
}
