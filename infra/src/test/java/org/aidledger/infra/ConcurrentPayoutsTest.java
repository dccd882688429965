package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many clients paying out of one fund at once can never overdraw it. */
class ConcurrentPayoutsTest extends LedgerIntegrationTest {

    private static final int CLIENTS = 50;

    @Test
    void fiftyConcurrentPayoutsNeverOverdrawTheFund() throws Exception {
        String fundId = openFund("2000.00");
        donate(fundId, "10000.00");
        // 50 payouts of 300.00 against 10,000.00: at most 33 can be covered.
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int n = i;
            calls.add(() -> {
                Answer requested = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts",
                        Map.of("beneficiaryId", "ben-" + n, "category", "FESTIVAL",
                                "amount", "300.00", "currency", "CNY",
                                "reason", "Spring Festival"));
                if (requested.status() != 201) {
                    assertThat(requested.rule()).as(requested.raw())
                            .isEqualTo("INSUFFICIENT_AVAILABLE_CASH");
                    return false;
                }
                String payoutId = requested.body().get("payoutId").asText();
                Answer paid = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts/"
                        + payoutId + "/pay", Map.of());
                assertThat(paid.status()).as(paid.raw()).isEqualTo(200);
                return true;
            });
        }
        List<Future<Boolean>> results = pool.invokeAll(calls);
        pool.shutdown();
        assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        long accepted = 0;
        for (Future<Boolean> f : results) {
            if (f.get()) {
                accepted++;
            }
        }

        assertThat(accepted).isEqualTo(33);
        JsonNode b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("100.00");
        assertThat(b.get("expense").get("EXPENSE:PAYOUT:FESTIVAL").asText())
                .isEqualTo("9900.00");

        // The projection equals the sum of the events themselves.
        long fromEvents = jdbc.queryForObject("SELECT COALESCE(SUM(CASE"
                + " WHEN payloadtype LIKE '%.DonationReceived' THEN amount"
                + " WHEN payloadtype LIKE '%.PayoutPaid' THEN -amount END), 0) FROM ("
                + " SELECT payloadtype, (convert_from(payload, 'UTF8')::jsonb"
                + " -> 'amount' ->> 'amountMinor')::bigint AS amount"
                + " FROM domainevententry WHERE aggregateidentifier = ?) e", Long.class, fundId);
        assertThat(fromEvents).isEqualTo(10000L);
        long paidEvents = jdbc.queryForObject("SELECT count(*) FROM domainevententry"
                + " WHERE aggregateidentifier = ? AND payloadtype LIKE '%.PayoutPaid'",
                Long.class, fundId);
        assertThat(paidEvents).isEqualTo(accepted);
        Long cashMinor = jdbc.queryForObject("SELECT balance_minor FROM account_balance"
                + " WHERE fund_id = ? AND account = 'ASSET:CASH'", Long.class, fundId);
        assertThat(cashMinor).isEqualTo(fromEvents);
        assertThat(misplacedJournalEntries()).isZero();
    }
}
