package org.aidledger.command.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.body.UnionLevel;
import org.aidledger.messages.fund.AllocationKind;
import org.aidledger.messages.fund.DonorType;
import org.aidledger.messages.fund.FundPurpose;
import org.aidledger.messages.fund.PayoutCategory;

/**
 * The JSON bodies the command API accepts. Amounts are decimal numbers or strings in major units
 * ("1000.50"); dates are ISO dates. A missing value date means today.
 */
public final class Requests {

    private Requests() {
    }

    public record RegisterUnionBodyRequest(String bodyId, String name, UnionLevel level,
            String parentId) {
    }

    public record RegisterPartnerRequest(String partnerId, String name) {
    }

    public record OpenFundRequest(String fundId, String bodyId, String name, FundPurpose purpose,
            String currency, BigDecimal approvalThreshold, LocalDate valueDate) {
    }

    public record CloseFundRequest(String reason, LocalDate valueDate) {
    }

    public record DonationRequest(DonorType donorType, String donorRef, String campaign,
            String restrictedPurpose, BigDecimal amount, String currency, LocalDate valueDate) {
    }

    public record AllocationRequest(String source, AllocationKind kind, BigDecimal amount,
            String currency, LocalDate valueDate) {
    }

    public record ReserveMovementRequest(BigDecimal amount, String currency,
            LocalDate valueDate) {
    }

    public record PayoutRequest(String beneficiaryId, PayoutCategory category, BigDecimal amount,
            String currency, String reason, LocalDate valueDate) {
    }

    public record PayoutBatchRequest(PayoutCategory category, String reason, String currency,
            LocalDate valueDate, List<Line> lines) {
        public record Line(String beneficiaryId, BigDecimal amount) {
        }
    }

    public record PayoutBatchAnswer(String fundId, String batchId, int payouts, String total,
            String currency) {
    }

    public record DecisionRequest(String reason) {
    }

    public record PayRequest(LocalDate valueDate) {
    }

    public record ReversalRequest(String transactionId, String reason, LocalDate valueDate) {
    }

    public record LoanApplicationRequest(String borrowerId, BigDecimal principal,
            String currency, BigDecimal annualRate, Integer termMonths,
            org.aidledger.messages.loan.LoanMethod method, String purpose, LocalDate valueDate) {
    }

    public record LoanPolicyRequest(BigDecimal penaltyAnnualRate,
            org.aidledger.messages.loan.AllocationOrder allocationOrder) {
    }

    public record RescheduleRequest(Integer remainingMonths, LocalDate firstDueDate,
            String reason, LocalDate valueDate) {
    }

    public record DisbursementRequest(LocalDate firstDueDate, LocalDate valueDate) {
    }

    public record RepaymentRequest(BigDecimal amount, String currency, LocalDate valueDate) {
    }

    public record LoanAnswer(String fundId, String loanId, String status) {
    }

    public record LoanDecisionRequest(String reason, LocalDate valueDate) {
    }

    public record SubsidisedLoanRequest(String partnerId, String borrowerId,
            BigDecimal principal, String currency, BigDecimal annualRate, Integer termMonths,
            org.aidledger.messages.loan.LoanMethod method, BigDecimal subsidyShare,
            BigDecimal subsidyCap, LocalDate firstDueDate, LocalDate valueDate,
            Boolean payAutomatically) {
    }

    public record SubsidyPaymentRequest(Integer period, LocalDate valueDate) {
    }

    public record PartnerLoanEndRequest(org.aidledger.messages.subsidy.PartnerLoanEnd reason,
            LocalDate endedOn) {
    }

    public record ConversionRequest(String hardshipFundId, String reason, LocalDate valueDate) {
    }

    /** What a write answers with. */
    public record Created(String id) {
    }

    public record TransactionRecorded(String fundId, String transactionId) {
    }

    public record PayoutAnswer(String fundId, String payoutId, String status) {
    }
}
