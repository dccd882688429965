package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An arrears report over a seeded portfolio equals a table worked out by hand. Five loans of
 * 1,200.00 at no interest over 12 months (100.00 due on the 10th of each month from
 * 2026-02-10), each repaid for a different number of months; the report is asked for as of
 * 2026-06-15, when five instalments (Feb to Jun) have fallen due.
 *
 * <pre>
 * loan  months paid  oldest unpaid  days past due  bucket   arrears  outstanding
 * A     4            2026-06-10       5            1-30      100.00       800.00
 * B     0            2026-02-10     125            OVER_90   500.00     1,200.00
 * C     2            2026-04-10      66            61-90     300.00     1,000.00
 * D     5            -                0            CURRENT     0.00       700.00
 * E     3            2026-05-10      36            31-60     200.00       900.00
 *                                                  total   1,100.00     4,600.00
 * PAR30 = (1,200.00 + 1,000.00 + 900.00) / 4,600.00 = 0.673913... = 0.6739
 * </pre>
 */
class ArrearsReportTest extends LedgerIntegrationTest {

    private void loanPaidFor(String fundId, int months) {
        String loanId = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/loans", Map.of(
                "borrowerId", "w-" + months, "principal", "1200.00", "currency", "CNY",
                "annualRate", "0", "termMonths", 12, "method", "EQUAL_PRINCIPAL",
                "valueDate", "2026-01-05"))).body().get("loanId").asText();
        String base = "/api/v1/funds/" + fundId + "/loans/" + loanId;
        ok(post(APPROVER, newTx(), base + "/approve", Map.of()));
        ok(post(ADMIN, newTx(), base + "/disburse", Map.of("valueDate", "2026-01-10",
                "firstDueDate", "2026-02-10")));
        LocalDate due = LocalDate.of(2026, 2, 10);
        for (int m = 0; m < months; m++) {
            ok(post(ADMIN, newTx(), base + "/repayments", Map.of("amount", "100.00",
                    "currency", "CNY", "valueDate", due.plusMonths(m).toString())));
        }
    }

    @Test
    void portfolioReportEqualsTheTableWorkedOutByHand() {
        String fundId = openFund("2000.00", "REEMPLOYMENT");
        donate(fundId, "6000.00");
        for (int months : new int[] {4, 0, 2, 5, 3}) {
            loanPaidFor(fundId, months);
        }
        awaitProjections();

        JsonNode report = ok(get(AUDITOR, "/api/v1/funds/" + fundId
                + "/arrears?asOf=2026-06-15")).body();
        assertThat(report).hasSize(1);
        JsonNode cny = report.get(0);
        assertThat(cny.get("currency").asText()).isEqualTo("CNY");
        assertThat(cny.get("loans").asInt()).isEqualTo(5);
        assertThat(cny.get("outstandingPrincipal").asText()).isEqualTo("4600.00");
        assertThat(cny.get("arrears").asText()).isEqualTo("1100.00");
        assertThat(cny.get("par30").asText()).isEqualTo("0.6739");
        assertThat(cny.get("atRisk30Principal").asText()).isEqualTo("3100.00");
        Map<String, String[]> expected = Map.of(
                "CURRENT", new String[] {"1", "700.00", "0.00"},
                "1-30", new String[] {"1", "800.00", "100.00"},
                "31-60", new String[] {"1", "900.00", "200.00"},
                "61-90", new String[] {"1", "1000.00", "300.00"},
                "OVER_90", new String[] {"1", "1200.00", "500.00"});
        for (JsonNode bucket : cny.get("buckets")) {
            String[] row = expected.get(bucket.get("bucket").asText());
            assertThat(new String[] {bucket.get("loans").asText(),
                    bucket.get("outstandingPrincipal").asText(), bucket.get("arrears").asText()})
                    .as(bucket.get("bucket").asText()).containsExactly(row);
        }

        // The same portfolio rolls up to the body that owns the fund and to its parent.
        JsonNode byParent = ok(get(AUDITOR, "/api/v1/union-bodies/" + id("city")
                + "/arrears?asOf=2026-06-15")).body().get(0);
        assertThat(byParent.get("loans").asInt()).isEqualTo(5);
        assertThat(byParent.get("par30").asText()).isEqualTo("0.6739");
        // As of a date before any instalment fell due, nothing is in arrears.
        JsonNode early = ok(get(AUDITOR, "/api/v1/funds/" + fundId
                + "/arrears?asOf=2026-02-10")).body().get(0);
        assertThat(early.get("arrears").asText()).isEqualTo("0.00");
        assertThat(early.get("par30").asText()).isEqualTo("0.0000");
    }
}
