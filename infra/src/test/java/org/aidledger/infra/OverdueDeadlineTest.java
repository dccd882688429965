package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Due dates run on durable deadlines kept in PostgreSQL. A loan whose first instalments fell
 * due in the past months, unpaid, is flagged overdue for exactly those when their deadlines fire; the deadlines of the instalments still to come wait as rows in the database,
 * which is what lets them fire after a restart.
 */
class OverdueDeadlineTest extends LedgerIntegrationTest {

    @Test
    void pastDueInstalmentsAreFlaggedAndFutureOnesWaitInTheDatabase() {
        String fundId = openFund("2000.00", "REEMPLOYMENT");
        donate(fundId, "5000.00");
        // The ledger checks an instalment at the start of the day after it falls due, in the
        // fund's zone (Asia/Shanghai by default); which ones are past depends on the hour.
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Shanghai");
        LocalDate today = LocalDate.now(zone);
        LocalDate firstDue = today.minusMonths(3);
        String loanId = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/loans", Map.of(
                "borrowerId", "w-9", "principal", "1200.00", "currency", "CNY", "annualRate",
                "0", "termMonths", 12, "method", "EQUAL_PRINCIPAL", "valueDate",
                today.minusMonths(4).toString()))).body().get("loanId").asText();
        String base = "/api/v1/funds/" + fundId + "/loans/" + loanId;
        ok(post(APPROVER, newTx(), base + "/approve", Map.of()));
        ok(post(ADMIN, newTx(), base + "/disburse", Map.of("valueDate",
                today.minusMonths(4).toString(), "firstDueDate", firstDue.toString())));

        List<Integer> past = new java.util.ArrayList<>();
        java.time.Instant now = java.time.Instant.now();
        for (int k = 1; k <= 12; k++) {
            if (!firstDue.plusMonths(k - 1).plusDays(1).atStartOfDay(zone).toInstant()
                    .isAfter(now)) {
                past.add(k);
            }
        }
        assertThat(past).startsWith(1, 2, 3).hasSizeLessThanOrEqualTo(4);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            awaitProjections();
            assertThat(jdbc.queryForList("SELECT number FROM loan_overdue WHERE loan_id = ?"
                    + " ORDER BY number", Integer.class, loanId)).isEqualTo(past);
        });
        assertThat(jdbc.queryForObject("SELECT overdue_since FROM loan_view WHERE loan_id = ?",
                java.sql.Date.class, loanId).toLocalDate()).isEqualTo(firstDue);
        List<Map<String, Object>> waiting = jdbc.queryForList("SELECT execution_time"
                + " FROM scheduled_tasks WHERE task_data IS NOT NULL AND execution_time > now()"
                + " AND position(convert_to(?, 'UTF8') IN task_data) > 0", loanId);
        assertThat(waiting).hasSize(12 - past.size());
    }
}
