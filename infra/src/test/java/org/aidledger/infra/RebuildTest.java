package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read models are a function of the events: emptied and replayed, they come back equal. */
class RebuildTest extends LedgerIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.axonframework.config.EventProcessingConfiguration processing;

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

        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payout-batches", Map.of(
                "category", "FESTIVAL", "reason", "festival round", "currency", "CNY",
                "lines", List.of(Map.of("beneficiaryId", "w-7", "amount", "80.00"),
                        Map.of("beneficiaryId", "w-8", "amount", "90.00")))));

        List<String> before = readModelOf(fundId);
        String balancesBefore = balances(fundId).toString();
        assertThat(before).hasSizeGreaterThan(10);

        ok(post(ADMIN, null, "/api/v1/admin/projections/rebuild", Map.of()));

        assertThat(readModelOf(fundId)).isEqualTo(before);
        assertThat(misplacedJournalEntries()).isZero();
        assertThat(balances(fundId).toString()).isEqualTo(balancesBefore);
    }

    /**
     * With the projection stopped, several events pile up; started again it takes them in one
     * batch. Each journal entry must still carry its own event's position.
     */
    @Test
    void positionsStayExactWhenEventsArriveInOneBatch() {
        String fundId = openFund("2000.00");
        awaitProjections();
        var processor = processing.eventProcessor("ledger",
                org.axonframework.eventhandling.StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        try {
            for (int i = 1; i <= 12; i++) {
                donate(fundId, i + ".00");
            }
        } finally {
            processor.start();
        }
        awaitProjections();
        assertThat(misplacedJournalEntries()).isZero();
        assertThat(balances(fundId).get("cash").asText()).isEqualTo("78.00");
    }

    /**
     * A read model filled by an older shape of the code (its recorded version differs) is
     * rebuilt at start-up: a row it missed comes back, and the version is recorded.
     */
    @Test
    void readModelsOfAnOlderVersionAreRebuiltAtStart(
            @org.springframework.beans.factory.annotation.Autowired
            org.aidledger.query.admin.Projections projections) {
        String fundId = openFund("300.00");
        donate(fundId, "120.00");
        donate(fundId, "30.00");
        awaitProjections();
        List<String> before = readModelOf(fundId);
        jdbc.update("DELETE FROM journal_line WHERE event_id IN (SELECT event_id FROM"
                + " journal_entry WHERE fund_id = ?)", fundId);
        jdbc.update("DELETE FROM journal_entry WHERE fund_id = ?", fundId);
        jdbc.update("UPDATE read_model_version SET version = ?",
                org.aidledger.query.admin.Projections.READ_MODEL_VERSION - 1);
        assertThat(readModelOf(fundId)).isNotEqualTo(before);

        projections.rebuildIfReadModelsChanged();

        assertThat(readModelOf(fundId)).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT version FROM read_model_version", Integer.class))
                .isEqualTo(org.aidledger.query.admin.Projections.READ_MODEL_VERSION);
    }

    @Test
    void onlyAnAdminMayRebuild() {
        Answer refused = post(AUDITOR, null, "/api/v1/admin/projections/rebuild", Map.of());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.rule()).isEqualTo("ROLE_NOT_PERMITTED");
    }
}
