package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A payout batch (the Spring Festival condolence round): many small payouts in one command,
 * paid whole or refused whole, journalled in parts, each payout on the register.
 */
class PayoutBatchTest extends LedgerIntegrationTest {

    private static Map<String, Object> batch(int lines, Consumer<List<Map<String, Object>>> edit) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= lines; i++) {
            // 100.00, 100.01, ... so that the total is not a simple product.
            rows.add(new HashMap<>(Map.of("beneficiaryId", "worker-" + i,
                    "amount", BigDecimal.valueOf(10_000 + (i % 7), 2).toPlainString())));
        }
        edit.accept(rows);
        return Map.of("category", "FESTIVAL", "reason", "Spring Festival 2027",
                "currency", "CNY", "lines", rows);
    }

    private static long expectedTotalMinor(int lines) {
        long total = 0;
        for (int i = 1; i <= lines; i++) {
            total += 10_000 + (i % 7);
        }
        return total;
    }

    private static String major(long minor) {
        return BigDecimal.valueOf(minor, 2).toPlainString();
    }

    @Test
    void aBatchPaysEveryLineAndJournalsItInParts() {
        String fundId = openFund("500.00");
        donate(fundId, "300000.00");
        int lines = 2_500;
        long total = expectedTotalMinor(lines);

        Answer paid = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payout-batches",
                batch(lines, rows -> { }));

        assertThat(paid.status()).as(paid.raw()).isEqualTo(201);
        assertThat(paid.body().get("payouts").asInt()).isEqualTo(lines);
        assertThat(paid.body().get("total").asText()).isEqualTo(major(total));
        String batchId = paid.body().get("batchId").asText();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE"
                + " aggregateidentifier = ? AND payloadtype LIKE '%.PayoutBatchPartPaid'",
                Long.class, fundId)).isEqualTo(3);

        JsonNode balances = balances(fundId);
        assertThat(balances.get("cash").asText()).isEqualTo(major(30_000_000 - total));
        assertThat(balances.get("available").asText()).isEqualTo(major(30_000_000 - total));
        assertThat(account(fundId, "EXPENSE:PAYOUT:FESTIVAL")).isEqualTo(total);
        JsonNode trial = ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/trial-balance")).body();
        assertThat(trial.get("totalDebits").asText()).isEqualTo(trial.get("totalCredits")
                .asText());
        assertThat(jdbc.queryForList("SELECT transaction_id FROM journal_entry WHERE fund_id = ?"
                + " AND kind = 'PAYOUT_BATCH' ORDER BY position", String.class, fundId))
                .containsExactly(batchId + "/p1", batchId + "/p2", batchId + "/p3");
        Map<String, Object> register = jdbc.queryForMap("SELECT count(*) AS n,"
                + " count(DISTINCT beneficiary_id) AS people, sum(amount_minor) AS total"
                + " FROM payout_view WHERE fund_id = ? AND status = 'PAID'", fundId);
        assertThat(((Number) register.get("n")).longValue()).isEqualTo(lines);
        assertThat(((Number) register.get("people")).longValue()).isEqualTo(lines);
        assertThat(((Number) register.get("total")).longValue()).isEqualTo(total);
        assertThat(jdbc.queryForObject("SELECT amount_minor FROM payout_view WHERE payout_id = ?",
                Long.class, batchId + "/2500")).isEqualTo(10_000 + 2500 % 7);
        assertThat(misplacedJournalEntries()).isZero();
    }

    @Test
    void aRepeatedBatchPaysOnce() {
        String fundId = openFund("500.00");
        donate(fundId, "10000.00");
        String tx = newTx();
        Map<String, Object> body = batch(40, rows -> { });
        Answer first = ok(post(ADMIN, tx, "/api/v1/funds/" + fundId + "/payout-batches", body));
        long events = eventCount(fundId);
        Answer again = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/payout-batches", body);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(eventCount(fundId)).isEqualTo(events);
        assertThat(balances(fundId).get("cash").asText())
                .isEqualTo(major(1_000_000 - expectedTotalMinor(40)));

        Answer changed = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/payout-batches",
                batch(41, rows -> { }));
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.rule()).isEqualTo("CLIENT_TRANSACTION_ID_REUSED");
    }

    @Test
    void reversingABatchReturnsAllOfIt() {
        String fundId = openFund("500.00");
        donate(fundId, "300000.00");
        Answer paid = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payout-batches",
                batch(1_500, rows -> { })));
        String batchId = paid.body().get("batchId").asText();
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals",
                Map.of("transactionId", batchId, "reason", "paid from the wrong fund")));

        JsonNode balances = balances(fundId);
        assertThat(balances.get("cash").asText()).isEqualTo("300000.00");
        assertThat(account(fundId, "EXPENSE:PAYOUT:FESTIVAL")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payout_view WHERE fund_id = ?"
                + " AND status = 'REVERSED'", Long.class, fundId)).isEqualTo(1_500);
        assertThat(jdbc.queryForObject("SELECT reverses_transaction_id FROM journal_entry"
                + " WHERE fund_id = ? AND kind = 'REVERSAL'", String.class, fundId))
                .isEqualTo(batchId);

        Answer twice = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals",
                Map.of("transactionId", batchId, "reason", "again"));
        assertThat(twice.status()).isEqualTo(422);
        assertThat(twice.rule()).isEqualTo("TRANSACTION_ALREADY_REVERSED");
    }

    @Test
    void refusedBatchesNameTheRuleAndWriteNothing() {
        String fundId = openFund("500.00");
        donate(fundId, "20000.00");
        String before = balances(fundId).toString();
        long events = eventCount();
        String path = "/api/v1/funds/" + fundId + "/payout-batches";

        refused(post(ADMIN, newTx(), path, batch(10, rows -> rows.get(6).put("amount",
                "500.01"))), 422, "BATCH_LINE_NEEDS_APPROVAL", "line 7");
        refused(post(ADMIN, newTx(), path, batch(10, rows -> rows.get(8).put("beneficiaryId",
                "worker-2"))), 400, "BATCH_DUPLICATE_BENEFICIARY", "line 9");
        refused(post(ADMIN, newTx(), path, batch(10, rows -> rows.get(2).put("amount",
                "1.001"))), 400, "AMOUNT_TOO_PRECISE", "line 3");
        refused(post(ADMIN, newTx(), path, batch(10, rows -> rows.get(4).put("amount",
                "0.00"))), 400, "AMOUNT_NOT_POSITIVE", "line 5");
        refused(post(ADMIN, newTx(), path, batch(10, rows -> rows.get(0).remove(
                "beneficiaryId"))), 400, "FIELD_REQUIRED", "line 1");
        // 201 lines of about 100.00 need about 20,100.00; the fund holds 20,000.00.
        refused(post(ADMIN, newTx(), path, batch(201, rows -> { })), 422,
                "INSUFFICIENT_AVAILABLE_CASH", "201 payouts");
        refused(post(ADMIN, newTx(), path, batch(0, rows -> { })), 400, "BATCH_EMPTY",
                "at least one line");
        refused(post(ADMIN, newTx(), path, Map.of("category", "FESTIVAL", "reason", "r",
                "currency", "USD", "lines", List.of(Map.of("beneficiaryId", "w",
                        "amount", "1.00")))), 400, "CURRENCY_MISMATCH", "USD");
        refused(post(ADMIN, newTx(), path, batch(100_001, rows -> { })), 400, "BATCH_TOO_LARGE",
                "100001");
        refused(post(AUDITOR, newTx(), path, batch(3, rows -> { })), 403, "ROLE_NOT_PERMITTED",
                null);
        refused(post(ADMIN, newTx(), "/api/v1/funds/no-such-fund/payout-batches",
                batch(3, rows -> { })), 404, "FUND_NOT_FOUND", null);

        assertThat(eventCount()).isEqualTo(events);
        assertThat(balances(fundId).toString()).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM payout_view WHERE fund_id = ?",
                Long.class, fundId)).isZero();
    }

    private static void refused(Answer a, int status, String rule, String detailMentions) {
        assertThat(a.status()).as(a.raw()).isEqualTo(status);
        assertThat(a.rule()).as(a.raw()).isEqualTo(rule);
        if (detailMentions != null) {
            assertThat(a.body().get("detail").asText()).contains(detailMentions);
        }
    }

    private long account(String fundId, String account) {
        awaitProjections();
        List<Long> rows = jdbc.queryForList("SELECT balance_minor FROM account_balance"
                + " WHERE fund_id = ? AND account = ?", Long.class, fundId, account);
        return rows.isEmpty() ? 0 : rows.get(0);
    }
}
