package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A due-date deadline survives the service that scheduled it. This node's deadline runner is
 * paused, as if the service had gone down right after the disbursement; the instalments fall
 * due with nobody to check them. A fresh service process is then started on the same database,
 * and the overdue checks fire there.
 */
class DeadlineRestartTest extends LedgerIntegrationTest {

    @Autowired
    Scheduler scheduler;

    @Test
    void overdueDeadlineFiresInAServiceStartedAfterwards() throws Exception {
        String fundId = openFund("2000.00", "REEMPLOYMENT");
        donate(fundId, "5000.00");
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        String loanId = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/loans", Map.of(
                "borrowerId", "w-11", "principal", "600.00", "currency", "CNY", "annualRate",
                "0", "termMonths", 6, "method", "EQUAL_PRINCIPAL", "valueDate",
                today.minusMonths(3).toString()))).body().get("loanId").asText();
        String base = "/api/v1/funds/" + fundId + "/loans/" + loanId;
        ok(post(APPROVER, newTx(), base + "/approve", Map.of()));

        scheduler.pause();
        try {
            ok(post(ADMIN, newTx(), base + "/disburse", Map.of("valueDate",
                    today.minusMonths(3).toString(), "firstDueDate",
                    today.minusMonths(2).toString())));
            // Several polling rounds pass with this node down: nothing is checked.
            Thread.sleep(6_000);
            awaitProjections();
            assertThat(countOverdue(loanId)).isZero();

            ConfigurableApplicationContext restarted = new SpringApplicationBuilder(
                    LedgerApplication.class).properties("server.port=0", "ledger.grpc.port=0",
                    "spring.main.banner-mode=off").run();
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    awaitProjections();
                    assertThat(countOverdue(loanId)).isGreaterThanOrEqualTo(2);
                });
            } finally {
                restarted.close();
            }
        } finally {
            scheduler.resume();
        }
        assertThat(jdbc.queryForList("SELECT number FROM loan_overdue WHERE loan_id = ?"
                + " ORDER BY number", Integer.class, loanId)).startsWith(1, 2);
    }

    private long countOverdue(String loanId) {
        return jdbc.queryForObject("SELECT count(*) FROM loan_overdue WHERE loan_id = ?",
                Long.class, loanId);
    }
}
