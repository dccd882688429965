package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A direct microloan through REST: apply, approve, disburse, repay, reschedule, close. */
class MicroloanTest extends LedgerIntegrationTest {

    private String loanBase(String fundId, String loanId) {
        return "/api/v1/funds/" + fundId + "/loans/" + loanId;
    }

    private String apply(String fundId, String principal) {
        return ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/loans", Map.of(
                "borrowerId", "worker-17", "principal", principal, "currency", "CNY",
                "annualRate", "0.06", "termMonths", 12, "method", "EQUAL_INSTALMENTS",
                "purpose", "noodle stall", "valueDate", "2026-01-05")))
                .body().get("loanId").asText();
    }

    @Test
    void wholeLifeOfALoan() {
        String fundId = openFund("2000.00");
        donate(fundId, "150000.00");
        String loanId = apply(fundId, "100000.00");
        String base = loanBase(fundId, loanId);

        long beforeEarly = eventCount(fundId);
        List<String> readModelBefore = readModelOf(fundId);
        Answer early = post(ADMIN, newTx(), base + "/disburse", Map.of("valueDate",
                "2026-01-10"));
        assertThat(early.rule()).isEqualTo("LOAN_NOT_APPROVED");
        assertThat(eventCount(fundId)).isEqualTo(beforeEarly);
        assertThat(readModelOf(fundId)).isEqualTo(readModelBefore);
        ok(post(APPROVER, newTx(), base + "/approve", Map.of()));
        ok(post(ADMIN, newTx(), base + "/disburse", Map.of("valueDate", "2026-01-10",
                "firstDueDate", "2026-02-10")));
        long beforeTwice = eventCount(fundId);
        Answer twice = post(ADMIN, newTx(), base + "/disburse", Map.of("valueDate",
                "2026-01-11"));
        assertThat(twice.rule()).isEqualTo("LOAN_ALREADY_DISBURSED");
        assertThat(eventCount(fundId)).isEqualTo(beforeTwice);

        JsonNode b = balances(fundId);
        assertThat(b.get("cash").asText()).isEqualTo("50000.00");
        assertThat(b.get("loansReceivable").asText()).isEqualTo("100000.00");
        JsonNode loan = ok(get(AUDITOR, base)).body();
        assertThat(loan.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(loan.get("schedule")).hasSize(12);
        assertThat(loan.get("schedule").get(0).get("payment").asText()).isEqualTo("8606.64");

        // The first instalment, paid on its due date: 500.00 interest, 8106.64 principal.
        ok(post(ADMIN, newTx(), base + "/repayments", Map.of("amount", "8606.64",
                "currency", "CNY", "valueDate", "2026-02-10")));
        b = balances(fundId);
        assertThat(b.get("income").get("INCOME:INTEREST").asText()).isEqualTo("500.00");
        assertThat(b.get("loansReceivable").asText()).isEqualTo("91893.36");

        // Too much: the message says what is owed, and nothing is written.
        long beforeOver = eventCount(fundId);
        List<String> beforeOverRows = readModelOf(fundId);
        Answer over = post(ADMIN, newTx(), base + "/repayments", Map.of("amount",
                "91893.37", "currency", "CNY", "valueDate", "2026-02-11"));
        assertThat(eventCount(fundId)).isEqualTo(beforeOver);
        assertThat(readModelOf(fundId)).isEqualTo(beforeOverRows);
        assertThat(over.status()).isEqualTo(422);
        assertThat(over.rule()).isEqualTo("REPAYMENT_EXCEEDS_OWED");
        assertThat(over.body().get("detail").asText()).contains("91893.36");

        // An early part-repayment recomputes the rest as schedule version 2.
        ok(post(ADMIN, newTx(), base + "/repayments", Map.of("amount", "41893.36",
                "currency", "CNY", "valueDate", "2026-02-20")));
        awaitProjections();
        loan = ok(get(AUDITOR, base)).body();
        assertThat(loan.get("scheduleVersion").asInt()).isEqualTo(2);
        assertThat(loan.get("outstandingPrincipal").asText()).isEqualTo("50000.00");
        assertThat(loan.get("schedule")).hasSize(12);
        assertThat(loan.get("schedule").get(1).get("version").asInt()).isEqualTo(2);
        assertThat(loan.get("schedule").get(1).get("interest").asText()).isEqualTo("250.00");
        long oldVersions = jdbc.queryForObject("SELECT count(*) FROM loan_instalment"
                + " WHERE loan_id = ? AND superseded_by = 2", Long.class, loanId);
        assertThat(oldVersions).isEqualTo(11);

        // Paying off everything still owed closes the loan; a closed loan takes no money.
        ok(post(ADMIN, newTx(), base + "/repayments", Map.of("amount", "50000.00",
                "currency", "CNY", "valueDate", "2026-03-01")));
        awaitProjections();
        assertThat(ok(get(AUDITOR, base)).body().get("status").asText()).isEqualTo("CLOSED");
        long events = eventCount(fundId);
        Answer closed = post(ADMIN, newTx(), base + "/repayments", Map.of("amount", "1.00",
                "currency", "CNY", "valueDate", "2026-03-02"));
        assertThat(closed.rule()).isEqualTo("LOAN_CLOSED");
        assertThat(eventCount(fundId)).isEqualTo(events);

        b = balances(fundId);
        assertThat(b.get("loansReceivable").asText()).isEqualTo("0.00");
        assertThat(b.get("cash").asText()).isEqualTo("150500.00");
        JsonNode trial = ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/trial-balance")).body();
        assertThat(trial.get("totalDebits").asText()).isEqualTo(trial.get("totalCredits")
                .asText());
    }

    private String activeLoan(String fundId, String principal) {
        String loanId = apply(fundId, principal);
        ok(post(APPROVER, newTx(), loanBase(fundId, loanId) + "/approve", Map.of()));
        ok(post(ADMIN, newTx(), loanBase(fundId, loanId) + "/disburse", Map.of("valueDate",
                "2026-01-10", "firstDueDate", "2026-02-10")));
        return loanId;
    }

    @Test
    void writeOffChargesTheLossAndRecoveriesAreStillReceived() {
        String fundId = openFund("2000.00", "REEMPLOYMENT");
        donate(fundId, "5000.00");
        String loanId = activeLoan(fundId, "1200.00");
        String base = loanBase(fundId, loanId);
        ok(post(ADMIN, newTx(), base + "/write-off", Map.of("reason", "business failed",
                "valueDate", "2026-06-30")));
        JsonNode b = balances(fundId);
        assertThat(b.get("loansReceivable").asText()).isEqualTo("0.00");
        assertThat(b.get("expense").get("EXPENSE:LOAN_WRITE_OFF").asText())
                .isEqualTo("1200.00");
        ok(post(ADMIN, newTx(), base + "/repayments", Map.of("amount", "200.00",
                "currency", "CNY", "valueDate", "2026-07-15")));
        b = balances(fundId);
        assertThat(b.get("income").get("INCOME:LOAN_RECOVERY").asText()).isEqualTo("200.00");
        assertThat(b.get("cash").asText()).isEqualTo("4000.00");
        Answer tooMuch = post(ADMIN, newTx(), base + "/repayments", Map.of("amount",
                "1000.01", "currency", "CNY", "valueDate", "2026-07-16"));
        assertThat(tooMuch.rule()).isEqualTo("REPAYMENT_EXCEEDS_OWED");
        assertThat(ok(get(AUDITOR, base)).body().get("status").asText())
                .isEqualTo("WRITTEN_OFF");
    }

    @Test
    void conversionToAHardshipGrantIsPaidByTheHardshipFund() {
        String loanFund = openFund("2000.00", "REEMPLOYMENT");
        donate(loanFund, "5000.00");
        String hardshipFund = openFund("2000.00", "HARDSHIP");
        donate(hardshipFund, "3000.00");
        String loanId = activeLoan(loanFund, "1200.00");
        String base = loanBase(loanFund, loanId);

        String notHardship = openFund("2000.00", "REEMPLOYMENT");
        donate(notHardship, "3000.00");
        long events = eventCount();
        Answer wrongFund = post(ADMIN, newTx(), base + "/convert-to-grant", Map.of(
                "hardshipFundId", notHardship, "reason", "serious illness"));
        assertThat(wrongFund.rule()).isEqualTo("FUND_NOT_HARDSHIP");
        assertThat(eventCount()).isEqualTo(events);

        ok(post(ADMIN, newTx(), base + "/convert-to-grant", Map.of("hardshipFundId",
                hardshipFund, "reason", "serious illness", "valueDate", "2026-03-01")));
        JsonNode lender = balances(loanFund);
        assertThat(lender.get("cash").asText()).isEqualTo("5000.00");
        assertThat(lender.get("loansReceivable").asText()).isEqualTo("0.00");
        assertThat(lender.get("expense").has("EXPENSE:LOAN_WRITE_OFF")).isFalse();
        JsonNode payer = balances(hardshipFund);
        assertThat(payer.get("cash").asText()).isEqualTo("1800.00");
        assertThat(payer.get("expense").get("EXPENSE:LOAN_CONVERSION_GRANT").asText())
                .isEqualTo("1200.00");
        assertThat(ok(get(AUDITOR, base)).body().get("status").asText()).isEqualTo("CONVERTED");
    }

    @Test
    void conversionBeyondTheHardshipFundsCashChangesNeitherFund() {
        String loanFund = openFund("2000.00", "REEMPLOYMENT");
        donate(loanFund, "5000.00");
        String hardshipFund = openFund("2000.00", "HARDSHIP");
        donate(hardshipFund, "1199.99");
        String loanId = activeLoan(loanFund, "1200.00");
        long events = eventCount();
        List<String> lender = readModelOf(loanFund);
        Answer refused = post(ADMIN, newTx(), loanBase(loanFund, loanId) + "/convert-to-grant",
                Map.of("hardshipFundId", hardshipFund, "reason", "illness"));
        assertThat(refused.rule()).isEqualTo("INSUFFICIENT_AVAILABLE_CASH");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(readModelOf(loanFund)).isEqualTo(lender);
    }

    @Test
    void latePaymentPaysPenaltyAtTheFundsRateFirst() {
        String fundId = openFund("2000.00", "REEMPLOYMENT");
        donate(fundId, "5000.00");
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/loan-policy", Map.of(
                "penaltyAnnualRate", "0.365", "allocationOrder", "PENALTY_INTEREST_PRINCIPAL")));
        String loanId = ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/loans", Map.of(
                "borrowerId", "w-5", "principal", "1200.00", "currency", "CNY", "annualRate",
                "0", "termMonths", 12, "method", "EQUAL_PRINCIPAL", "valueDate", "2026-01-05")))
                .body().get("loanId").asText();
        String base = loanBase(fundId, loanId);
        ok(post(APPROVER, newTx(), base + "/approve", Map.of()));
        ok(post(ADMIN, newTx(), base + "/disburse", Map.of("valueDate", "2026-01-10",
                "firstDueDate", "2026-02-10")));
        // 100.00 overdue for 10 days at 36.5% a year: 100.00 × 0.365 × 10 / 365 = 1.00.
        ok(post(ADMIN, newTx(), base + "/repayments", Map.of("amount", "101.00",
                "currency", "CNY", "valueDate", "2026-02-20")));
        JsonNode b = balances(fundId);
        assertThat(b.get("income").get("INCOME:PENALTY").asText()).isEqualTo("1.00");
        assertThat(b.get("loansReceivable").asText()).isEqualTo("1100.00");
        assertThat(jdbc.queryForObject("SELECT penalty_accrued_minor FROM loan_view"
                + " WHERE loan_id = ?", Long.class, loanId)).isEqualTo(100L);
    }

    @Test
    void rescheduleSpreadsWhatRemainsOverNewMonths() {
        String fundId = openFund("2000.00", "REEMPLOYMENT");
        donate(fundId, "5000.00");
        String loanId = activeLoan(fundId, "1200.00");
        String base = loanBase(fundId, loanId);
        ok(post(ADMIN, newTx(), base + "/repayments", Map.of("amount", "106.00",
                "currency", "CNY", "valueDate", "2026-02-10")));
        ok(post(ADMIN, newTx(), base + "/reschedule", Map.of("remainingMonths", 24,
                "firstDueDate", "2026-03-10", "reason", "illness in the family",
                "valueDate", "2026-02-15")));
        awaitProjections();
        JsonNode loan = ok(get(AUDITOR, base)).body();
        // Version 2 came from the 2.72 paid early on 2026-02-10; the rescheduling is version 3.
        assertThat(loan.get("scheduleVersion").asInt()).isEqualTo(3);
        assertThat(loan.get("schedule")).hasSize(25);
        assertThat(loan.get("schedule").get(1).get("dueDate").asText()).isEqualTo("2026-03-10");
        assertThat(loan.get("schedule").get(24).get("number").asInt()).isEqualTo(25);
        java.math.BigDecimal principal = java.math.BigDecimal.ZERO;
        for (int i = 1; i < 25; i++) {
            principal = principal.add(new java.math.BigDecimal(loan.get("schedule").get(i)
                    .get("principal").asText()));
        }
        assertThat(principal.toPlainString()).isEqualTo("1100.00");
    }

    @Test
    void disbursementNeedsTheCash() {
        String fundId = openFund("2000.00");
        donate(fundId, "999.99");
        String loanId = apply(fundId, "1000.00");
        ok(post(APPROVER, newTx(), loanBase(fundId, loanId) + "/approve", Map.of()));
        long events = eventCount(fundId);
        Answer refused = post(ADMIN, newTx(), loanBase(fundId, loanId) + "/disburse",
                Map.of("valueDate", "2026-01-10"));
        assertThat(refused.rule()).isEqualTo("INSUFFICIENT_AVAILABLE_CASH");
        assertThat(eventCount(fundId)).isEqualTo(events);
    }

    @Test
    void theRecorderCannotApproveTheirOwnLoan() {
        String fundId = openFund("2000.00");
        String loanId = ok(post("chair:chair-pass", newTx(), "/api/v1/funds/" + fundId
                + "/loans", Map.of("borrowerId", "worker-3", "principal", "500.00",
                "currency", "CNY", "annualRate", "0", "termMonths", 6, "method",
                "EQUAL_PRINCIPAL", "valueDate", "2026-01-05"))).body().get("loanId").asText();
        long events = eventCount(fundId);
        Answer self = post("chair:chair-pass", newTx(), loanBase(fundId, loanId) + "/approve",
                Map.of());
        assertThat(self.status()).isEqualTo(422);
        assertThat(self.rule()).isEqualTo("SELF_APPROVAL");
        Answer badTerms = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/loans", Map.of(
                "borrowerId", "worker-3", "principal", "500.00", "currency", "CNY",
                "annualRate", "1.5", "termMonths", 6, "method", "FLAT"));
        assertThat(badTerms.rule()).isEqualTo("LOAN_TERMS_INVALID");
        assertThat(eventCount(fundId)).isEqualTo(events);
        awaitProjections();
        assertThat(List.of(ok(get(AUDITOR, loanBase(fundId, loanId))).body().get("status")
                .asText())).containsExactly("APPLIED");
    }
}
