package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Payouts through REST: auto-approval under the threshold, maker-checker above it, reversal. */
class PayoutLifecycleTest extends LedgerIntegrationTest {

    private Answer requestPayout(String fundId, String amount) {
        return requestPayout(fundId, "MEDICAL", amount);
    }

    private Answer requestPayout(String fundId, String category, String amount) {
        return post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts",
                Map.of("beneficiaryId", "ben-1", "category", category, "amount", amount,
                        "currency", "CNY", "reason", "hospital stay"));
    }

    @Test
    void payoutAtOrBelowThresholdIsApprovedAndCommittedUntilPaid() {
        String fundId = openFund("2000.00");
        donate(fundId, "5000.00");
        Answer requested = requestPayout(fundId, "2000.00");
        assertThat(requested.status()).isEqualTo(201);
        assertThat(requested.body().get("status").asText()).isEqualTo("APPROVED");
        String payoutId = requested.body().get("payoutId").asText();

        JsonNode b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("5000.00");
        assertThat(b.get("committed").asText()).isEqualTo("2000.00");
        assertThat(b.get("available").asText()).isEqualTo("3000.00");

        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts/" + payoutId + "/pay",
                Map.of()));
        b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("3000.00");
        assertThat(b.get("committed").asText()).isEqualTo("0.00");
        assertThat(b.get("expense").get("EXPENSE:PAYOUT:MEDICAL").asText()).isEqualTo("2000.00");
    }

    @Test
    void committedIsTheSumOfApprovedPayoutsHoweverManyAccountsTheFundHas() {
        String fundId = openFund("1000.00");
        JsonNode empty = balances(fundId);
        assertThat(empty.get("cash").asText()).isEqualTo("0.00");
        assertThat(empty.get("committed").asText()).isEqualTo("0.00");
        assertThat(empty.get("available").asText()).isEqualTo("0.00");

        donate(fundId, "5000.00");
        String base = "/api/v1/funds/" + fundId + "/payouts/";
        for (String category : new String[] {"MEDICAL", "EDUCATION", "EMERGENCY"}) {
            String paid = ok(requestPayout(fundId, category, "100.00")).body()
                    .get("payoutId").asText();
            ok(post(ADMIN, newTx(), base + paid + "/pay", Map.of()));
        }
        // Two approved and unpaid, one waiting for a second person: only the two are committed.
        assertThat(requestPayout(fundId, "250.00").status()).isEqualTo(201);
        assertThat(requestPayout(fundId, "400.50").status()).isEqualTo(201);
        assertThat(requestPayout(fundId, "1000.01").body().get("status").asText())
                .isEqualTo("AWAITING_APPROVAL");

        JsonNode b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("4700.00");
        assertThat(b.get("committed").asText()).isEqualTo("650.50");
        assertThat(b.get("available").asText()).isEqualTo("4049.50");
        assertThat(b.get("income").get("INCOME:DONATION").asText()).isEqualTo("5000.00");
        List<String> expenses = new ArrayList<>();
        b.get("expense").fieldNames().forEachRemaining(expenses::add);
        assertThat(expenses).containsExactly("EXPENSE:PAYOUT:EDUCATION",
                "EXPENSE:PAYOUT:EMERGENCY", "EXPENSE:PAYOUT:MEDICAL");
        assertThat(b.get("expense").get("EXPENSE:PAYOUT:EMERGENCY").asText())
                .isEqualTo("100.00");
    }

    @Test
    void payoutAboveThresholdWaitsForAnotherPersonsApproval() {
        String fundId = openFund("2000.00");
        donate(fundId, "5000.00");
        Answer requested = requestPayout(fundId, "2000.01");
        assertThat(requested.body().get("status").asText()).isEqualTo("AWAITING_APPROVAL");
        String payoutId = requested.body().get("payoutId").asText();
        String base = "/api/v1/funds/" + fundId + "/payouts/" + payoutId;

        Answer early = post(ADMIN, newTx(), base + "/pay", Map.of());
        assertThat(early.status()).isEqualTo(422);
        assertThat(early.rule()).isEqualTo("PAYOUT_NOT_APPROVED");
        assertThat(balances(fundId).get("committed").asText()).isEqualTo("0.00");

        ok(post(APPROVER, newTx(), base + "/approve", Map.of()));
        assertThat(balances(fundId).get("committed").asText()).isEqualTo("2000.01");
        ok(post(ADMIN, newTx(), base + "/pay", Map.of()));
        JsonNode b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("2999.99");

        awaitProjections();
        JsonNode payouts = ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/payouts")).body();
        assertThat(payouts.get(0).get("status").asText()).isEqualTo("PAID");
        assertThat(payouts.get(0).get("requestedBy").asText()).isEqualTo("admin");
        assertThat(payouts.get(0).get("approvedBy").asText()).isEqualTo("approver");
    }

    @Test
    void rejectedPayoutCommitsNothingAndCannotBePaid() {
        String fundId = openFund("100.00");
        donate(fundId, "500.00");
        String payoutId = requestPayout(fundId, "300.00").body().get("payoutId").asText();
        String base = "/api/v1/funds/" + fundId + "/payouts/" + payoutId;
        ok(post(APPROVER, newTx(), base + "/reject", Map.of("reason", "not on file")));
        Answer pay = post(ADMIN, newTx(), base + "/pay", Map.of());
        assertThat(pay.status()).isEqualTo(422);
        assertThat(pay.rule()).isEqualTo("PAYOUT_NOT_APPROVED");
        JsonNode b = balances(fundId);
        assertThat(b.get("available").asText()).isEqualTo("500.00");
    }

    @Test
    void reversalPostsTheMirrorEntryLinkedToTheOriginal() {
        String fundId = openFund("2000.00");
        String donation = donate(fundId, "800.00");
        donate(fundId, "200.00");
        Answer reversed = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reversals",
                Map.of("transactionId", donation, "reason", "bank returned the transfer"));
        assertThat(reversed.status()).isEqualTo(201);

        JsonNode b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("200.00");
        assertThat(b.get("income").get("INCOME:DONATION").asText()).isEqualTo("200.00");
        JsonNode journal = ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/journal")).body();
        JsonNode last = journal.get("entries").get(2);
        assertThat(last.get("kind").asText()).isEqualTo("REVERSAL");
        assertThat(last.get("reversesTransactionId").asText()).isEqualTo(donation);
        assertThat(last.get("lines").get(0).get("account").asText()).isEqualTo("ASSET:CASH");
        assertThat(last.get("lines").get(0).get("amount").asText()).isEqualTo("-800.00");

        JsonNode standing = ok(get(AUDITOR, "/api/v1/funds/" + fundId
                + "/journal?corrections=false")).body().get("entries");
        assertThat(standing).hasSize(1);
        assertThat(standing.get(0).get("lines").get(0).get("amount").asText())
                .isEqualTo("200.00");

        JsonNode trial = ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/trial-balance")).body();
        assertThat(trial.get("totalDebits").asText())
                .isEqualTo(trial.get("totalCredits").asText());
    }

    @Test
    void reserveDepositMovesCashToThePartnerAndBack() {
        String fundId = openFund("2000.00");
        donate(fundId, "1000.00");
        String partner = id("cu");
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reserves/" + partner
                + "/deposits", Map.of("amount", "600.00", "currency", "CNY")));
        JsonNode b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("400.00");
        assertThat(b.get("reserves").get(partner).asText()).isEqualTo("600.00");
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/reserves/" + partner
                + "/withdrawals", Map.of("amount", "100.00", "currency", "CNY")));
        b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("500.00");
        assertThat(b.get("reserves").get(partner).asText()).isEqualTo("500.00");
    }
}
