package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read models are a function of the events: emptied and replayed, they come back equal. */
class RebuildTest extends LedgerIntegrationTest {

    @Test
    void rebuildingFromTheEventsGivesIdenticalReadModels() {
        String fundId = openFund("300.00");
        String donation = donate(fundId, "1000.00");
        donate(fundId, "250.50");
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/allocations", Map.of(
                "source", "city federation", "kind", "GOVERNMENT_SUBSIDY", "amount", "5000.00",
                "currency", "CNY", "valueDate", "2026-10-15")));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reserves/" + id("cu")
                + "/deposits", Map.of("amount", "2000.00", "currency", "CNY")));
        String small = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts",
                Map.of("beneficiaryId", "b-1", "category", "FESTIVAL", "amount", "200.00",
                        "currency", "CNY", "reason", "festival"))).body().get("payoutId")
                .asText();
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts/" + small + "/pay",
                Map.of()));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts",
                Map.of("beneficiaryId", "b-2", "category", "MEDICAL", "amount", "900.00",
                        "currency", "CNY", "reason", "surgery")));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals",
                Map.of("transactionId", donation, "reason", "entered twice")));
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/periods/2026-10/close",
                Map.of()));
        String loanId = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/loans", Map.of(
                "borrowerId", "w-1", "principal", "1200.00", "currency", "CNY", "annualRate",
                "0.05", "termMonths", 6, "method", "EQUAL_INSTALMENTS"))).body().get("loanId")
                .asText();
        String loan = "/api/v1/funds/" + fundId + "/loans/" + loanId;
        ok(post(APPROVER, newTx(), loan + "/approve", Map.of()));
        ok(post(ADMIN, newTx(), loan + "/disburse", Map.of()));
        ok(post(ADMIN, newTx(), loan + "/repayments", Map.of("amount", "300.00",
                "currency", "CNY")));

        List<String> before = readModelOf(fundId);
        String balancesBefore = balances(fundId).toString();
        assertThat(before).hasSizeGreaterThan(10);

        ok(post(ADMIN, null, "/api/v1/admin/projections/rebuild", Map.of()));

        assertThat(readModelOf(fundId)).isEqualTo(before);
        assertThat(balances(fundId).toString()).isEqualTo(balancesBefore);
    }

    @Test
    void onlyAnAdminMayRebuild() {
        Answer refused = post(AUDITOR, null, "/api/v1/admin/projections/rebuild", Map.of());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.rule()).isEqualTo("ROLE_NOT_PERMITTED");
    }
}
