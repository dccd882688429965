package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.aidledger.command.support.GroupCommit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Commands waiting together are committed in one transaction, and a refused command among them
 * is refused alone: nothing of it is written, and the commands around it are accepted on the
 * state it would have seen without grouping.
 */
class GroupCommitTest extends LedgerIntegrationTest {

    @Autowired
    GroupCommit groupCommit;
    @Autowired
    DataSource dataSource;
    @Autowired
    MeterRegistry meters;

    @Test
    void commandsWaitingTogetherCommitTogetherAndARefusalAmongThemWritesNothing()
            throws Exception {
        String fundId = openFund("5000.00");
        String other = openFund("5000.00");
        donate(fundId, "1000.00");
        String payouts = "/api/v1/funds/" + fundId + "/payouts";
        String repeatedTx = newTx();
        String refusedTx = newTx();
        long lastBefore = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry",
                Long.class);
        DistributionSummary groups = meters.get("ledger.commands.group.size").summary();
        double largestBefore = groups.max();

        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        try (Connection holder = dataSource.getConnection()) {
            // Hold the audit chain's head: the writer's next commit waits on it, and the
            // commands sent meanwhile queue up behind it, in the order sent.
            holder.setAutoCommit(false);
            holder.createStatement().execute(
                    "SELECT 1 FROM event_chain_head WHERE id = 1 FOR UPDATE");
            answers.add(queued(0, () -> post(ADMIN, newTx(), "/api/v1/funds/" + other
                    + "/donations", donation("10.00"))));
            answers.add(queued(1, () -> post(ADMIN, newTx(), payouts, payout("600.00"))));
            // 1000.00 - 600.00 leaves 400.00: refused, on the state the payout before it left.
            answers.add(queued(2, () -> post(ADMIN, refusedTx, payouts, payout("600.00"))));
            answers.add(queued(3, () -> post(ADMIN, repeatedTx, "/api/v1/funds/" + fundId
                    + "/donations", donation("50.00"))));
            answers.add(queued(4, () -> post(ADMIN, repeatedTx, "/api/v1/funds/" + fundId
                    + "/donations", donation("50.00"))));
            // 400.00 + 50.00: covered only if the refused payout left nothing behind.
            answers.add(queued(5, () -> post(ADMIN, newTx(), payouts, payout("420.00"))));
            assertThat(answers.get(0).isDone()).as("nothing commits while the head is held")
                    .isFalse();
            holder.rollback();
        }

        List<Answer> a = new ArrayList<>();
        for (CompletableFuture<Answer> f : answers) {
            a.add(f.get(60, TimeUnit.SECONDS));
        }
        ok(a.get(0));
        assertThat(a.get(1).status()).as(a.get(1).raw()).isEqualTo(201);
        assertThat(a.get(2).status()).as(a.get(2).raw()).isEqualTo(422);
        assertThat(a.get(2).rule()).isEqualTo("INSUFFICIENT_AVAILABLE_CASH");
        assertThat(a.get(3).status()).as(a.get(3).raw()).isEqualTo(201);
        assertThat(a.get(4).body()).isEqualTo(a.get(3).body());
        assertThat(a.get(5).status()).as(a.get(5).raw()).isEqualTo(201);
        // The five commands after the first were taken as one group.
        assertThat(groups.max()).isGreaterThanOrEqualTo(Math.max(5, largestBefore));

        // Two payouts (each requested and, under the threshold, approved) and one donation;
        // nothing of the refused payout, not even its client transaction id.
        assertThat(jdbc.queryForList("SELECT substring(payloadtype from '[^.]*$')"
                + " FROM domainevententry WHERE aggregateidentifier = ? AND globalindex > ?"
                + " ORDER BY globalindex", String.class, fundId, lastBefore)).containsExactly(
                        "PayoutRequested", "PayoutApproved", "DonationReceived",
                        "PayoutRequested", "PayoutApproved");
        assertThat(clientTransactionRows(refusedTx)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry d"
                + " WHERE d.aggregateidentifier = ? AND NOT EXISTS (SELECT 1 FROM event_chain c"
                + " WHERE c.global_index = d.globalindex)", Long.class, fundId)).isZero();
        assertThat(balances(fundId).get("available").asText()).isEqualTo("30.00");
        assertThat(balances(other).get("available").asText()).isEqualTo("10.00");
        assertThat(ok(post(AUDITOR, null, "/api/v1/audit/verify", Map.of())).body().get("ok")
                .asBoolean()).isTrue();
    }

    /** Sends the request and returns once it waits for the writer as the n-th in line. */
    private CompletableFuture<Answer> queued(int n, Supplier<Answer> request)
            throws InterruptedException {
        CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(request);
        // The first is taken by the writer at once and waits on the head; the others queue.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (n == 0 ? !writerWaitsOnTheHead() : groupCommit.waiting() < n) {
            assertThat(System.nanoTime()).as("request %d did not reach the writer", n)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
        return answer;
    }

    /** Whether a session waits for the chain head: the writer, with the first command. */
    private boolean writerWaitsOnTheHead() {
        return jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity"
                + " WHERE wait_event_type = 'Lock' AND query LIKE '%FROM event_chain_head%'"
                + " AND pid <> pg_backend_pid()", Long.class) > 0;
    }

    private static Map<String, Object> donation(String amount) {
        return Map.of("donorType", "COMPANY", "amount", amount, "currency", "CNY");
    }

    private static Map<String, Object> payout(String amount) {
        return Map.of("beneficiaryId", "ben-1", "category", "FESTIVAL", "amount", amount,
                "currency", "CNY", "reason", "grouped");
    }
}
