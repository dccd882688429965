package org.aidledger.command.fund;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aidledger.command.loan.schedule.RepaymentMethod;
import org.aidledger.command.loan.schedule.ScheduleCalculator;
import org.aidledger.command.loan.schedule.ScheduleRequest;
import org.aidledger.command.support.Actor;
import org.aidledger.command.support.OverdueCalendar;
import org.aidledger.messages.fund.AllocationReceived;
import org.aidledger.messages.fund.ApprovePayout;
import org.aidledger.messages.fund.CloseFund;
import org.aidledger.messages.fund.ClosePeriod;
import org.aidledger.messages.fund.DepositReserve;
import org.aidledger.messages.fund.DonationReceived;
import org.aidledger.messages.fund.FundClosed;
import org.aidledger.messages.fund.FundOpened;
import org.aidledger.messages.fund.OpenFund;
import org.aidledger.messages.fund.BatchPayoutLine;
import org.aidledger.messages.fund.PayPayout;
import org.aidledger.messages.fund.PayPayoutBatch;
import org.aidledger.messages.fund.PayoutBatchPartPaid;
import org.aidledger.messages.fund.PayoutApproved;
import org.aidledger.messages.fund.PayoutCategory;
import org.aidledger.messages.fund.PayoutPaid;
import org.aidledger.messages.fund.PayoutRejected;
import org.aidledger.messages.fund.PayoutRequested;
import org.aidledger.messages.fund.PayoutStatus;
import org.aidledger.messages.fund.PeriodClosed;
import org.aidledger.messages.fund.RecordAllocation;
import org.aidledger.messages.fund.RecordDonation;
import org.aidledger.messages.fund.RejectPayout;
import org.aidledger.messages.fund.RequestPayout;
import org.aidledger.messages.fund.ReverseTransaction;
import org.aidledger.messages.fund.SubsidyReserveDeposited;
import org.aidledger.messages.fund.SubsidyReserveWithdrawn;
import org.aidledger.messages.fund.TransactionKind;
import org.aidledger.messages.fund.TransactionReversed;
import org.aidledger.messages.fund.WithdrawReserve;
import org.aidledger.messages.fund.FundPurpose;
import org.aidledger.messages.loan.AllocationOrder;
import org.aidledger.messages.loan.ApplyForLoan;
import org.aidledger.messages.loan.LoanPolicySet;
import org.aidledger.messages.loan.PenaltyAccrued;
import org.aidledger.messages.loan.SetLoanPolicy;
import org.aidledger.messages.loan.ConvertLoanToGrant;
import org.aidledger.messages.loan.LoanConvertedToGrant;
import org.aidledger.messages.loan.LoanGrantPaid;
import org.aidledger.messages.loan.LoanWrittenOff;
import org.aidledger.messages.loan.WriteOffLoan;
import org.aidledger.messages.loan.WrittenOffRecoveryReceived;
import org.aidledger.messages.loan.ApproveLoan;
import org.aidledger.messages.loan.DisburseLoan;
import org.aidledger.messages.loan.InstalmentDue;
import org.aidledger.messages.loan.LoanApplied;
import org.aidledger.messages.loan.LoanOverdue;
import org.aidledger.messages.loan.LoanApproved;
import org.aidledger.messages.loan.LoanClosed;
import org.aidledger.messages.loan.LoanDisbursed;
import org.aidledger.messages.loan.LoanRejected;
import org.aidledger.messages.loan.LoanRescheduled;
import org.aidledger.messages.loan.RecordRepayment;
import org.aidledger.messages.loan.RejectLoan;
import org.aidledger.messages.loan.RepaymentReceived;
import org.aidledger.messages.loan.RescheduleLoan;
import org.aidledger.messages.loan.ScheduledInstalment;
import org.aidledger.messages.money.Money;
import org.aidledger.messages.subsidy.InterestSubsidyPaid;
import org.aidledger.messages.subsidy.PartnerLoanEnded;
import org.aidledger.messages.subsidy.PayInterestSubsidy;
import org.aidledger.messages.subsidy.RegisterSubsidisedLoan;
import org.aidledger.messages.subsidy.ReportPartnerLoanEnded;
import org.aidledger.messages.subsidy.SubsidyDue;
import org.aidledger.messages.subsidy.SubsidyShortfallFlagged;
import org.aidledger.messages.subsidy.SubsidisedLoanRegistered;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One fund. Command handlers check every rule and then apply an event; event-sourcing handlers
 * only assign state. Cash is what the fund holds; committed is what approved but unpaid payouts
 * have claimed; available (cash minus committed) is what a new commitment may use.
 */
@Aggregate(cache = "fundCache", commandTargetResolver = "commandTargets")
public class Fund {

    @AggregateIdentifier
    private String fundId;
    private String currency;
    private long approvalThresholdMinor;
    private boolean closed;
    private LocalDate openedOn;
    private FundPurpose purpose;
    /** The last day of the last closed period; nothing may be dated on or before it. */
    private LocalDate closedThrough;
    private long cashMinor;
    private long committedMinor;
    private final Map<String, Long> reservesMinor = new HashMap<>();
    private final Map<String, Payout> payouts = new HashMap<>();
    private final Map<String, Recorded> transactions = new HashMap<>();
    private final Map<String, LoanAccount> loans = new HashMap<>();
    private final Map<String, SubsidisedLoan> subsidised = new HashMap<>();
    private java.math.BigDecimal penaltyAnnualRate = java.math.BigDecimal.ZERO;
    private AllocationOrder allocationOrder = AllocationOrder.PENALTY_INTEREST_PRINCIPAL;

    /** A payout's state as far as the rules need it. */
    private record Payout(String requestedBy, PayoutCategory category, long amountMinor,
            PayoutStatus status, LocalDate requestedOn) {
        Payout with(PayoutStatus next) {
            return new Payout(requestedBy, category, amountMinor, next, requestedOn);
        }
    }

    /** A recorded financial transaction, kept so that it can be reversed exactly once. */
    private record Recorded(TransactionKind kind, long amountMinor, String partnerId,
            boolean reversed, LocalDate valueDate) {
    }

    protected Fund() {
        // Required by Axon to rebuild the aggregate from its events.
    }

    /** Called by {@link FundCreationHandler} once the owning body is known to exist. */
    Fund(OpenFund cmd) {
        Money threshold = cmd.approvalThreshold();
        if (threshold == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "approvalThreshold is required");
        }
        if (!threshold.currency().equals(cmd.currency())) {
            throw new RuleViolation(Rule.CURRENCY_MISMATCH, "approval threshold currency "
                    + threshold.currency() + " differs from the fund's " + cmd.currency());
        }
        if (threshold.belowZero()) {
            throw new RuleViolation(Rule.AMOUNT_NOT_POSITIVE,
                    "approval threshold must not be negative");
        }
        apply(new FundOpened(cmd.fundId(), cmd.bodyId(), cmd.name(), cmd.purpose(),
                cmd.currency(), threshold, cmd.valueDate()));
    }

    @CommandHandler
    public void handle(CloseFund cmd) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        if (payouts.values().stream().anyMatch(p -> p.status() == PayoutStatus.AWAITING_APPROVAL
                || p.status() == PayoutStatus.APPROVED)) {
            throw new RuleViolation(Rule.FUND_HAS_OPEN_PAYOUTS,
                    "fund " + fundId + " has payouts awaiting approval or payment");
        }
        if (loans.values().stream().anyMatch(l -> l.status == LoanAccount.Status.APPLIED
                || l.status == LoanAccount.Status.APPROVED
                || l.status == LoanAccount.Status.ACTIVE)) {
            throw new RuleViolation(Rule.FUND_HAS_OPEN_LOANS,
                    "fund " + fundId + " has loans applied for, approved or outstanding");
        }
        long reserves = reservesMinor.values().stream().mapToLong(Long::longValue).sum();
        if (cashMinor != 0 || reserves != 0) {
            throw new RuleViolation(Rule.FUND_NOT_EMPTY, "fund " + fundId + " still holds "
                    + money(cashMinor) + " cash and " + money(reserves)
                    + " in reserves; only an empty fund can be closed");
        }
        apply(new FundClosed(fundId, cmd.reason(), cmd.valueDate()));
    }

    /**
     * Closes every period up to the given month. The command side cannot read the clock, so the
     * REST layer refuses a month that has not ended yet.
     */
    @CommandHandler
    public void handle(ClosePeriod cmd) {
        requireOpen();
        if (cmd.period() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "period is required, e.g. 2026-03");
        }
        LocalDate end = cmd.period().atEndOfMonth();
        if (closedThrough != null && !end.isAfter(closedThrough)) {
            throw new RuleViolation(Rule.PERIOD_ALREADY_CLOSED, "fund " + fundId
                    + " is already closed through " + closedThrough);
        }
        if (end.isBefore(openedOn.withDayOfMonth(1))) {
            throw new RuleViolation(Rule.VALUE_DATE_TOO_EARLY, "fund " + fundId
                    + " opened on " + openedOn + ", after " + cmd.period());
        }
        apply(new PeriodClosed(fundId, cmd.period(), end));
    }

    @CommandHandler
    public void handle(RecordDonation cmd) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        requireAmount(cmd.amount());
        requireNewTransaction(cmd.transactionId());
        apply(new DonationReceived(fundId, cmd.transactionId(), cmd.amount(), cmd.donorType(),
                cmd.donorRef(), cmd.campaign(), cmd.restrictedPurpose(), cmd.valueDate()));
    }

    @CommandHandler
    public void handle(RecordAllocation cmd) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        requireAmount(cmd.amount());
        requireNewTransaction(cmd.transactionId());
        apply(new AllocationReceived(fundId, cmd.transactionId(), cmd.amount(), cmd.kind(),
                cmd.source(), cmd.valueDate()));
    }

    /** Called by {@link FundReserveHandler} once the partner is known to be registered. */
    void depositReserve(DepositReserve cmd) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        requireAmount(cmd.amount());
        requireNewTransaction(cmd.transactionId());
        requireAvailable(cmd.amount().amountMinor(), "deposit a reserve of");
        apply(new SubsidyReserveDeposited(fundId, cmd.transactionId(), cmd.partnerId(),
                cmd.amount(), cmd.valueDate()));
    }

    @CommandHandler
    public void handle(WithdrawReserve cmd) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        requireAmount(cmd.amount());
        requireNewTransaction(cmd.transactionId());
        Long reserve = reservesMinor.get(cmd.partnerId());
        if (reserve == null) {
            throw new RuleViolation(Rule.RESERVE_NOT_FOUND,
                    "fund " + fundId + " holds no reserve at partner " + cmd.partnerId());
        }
        requireReserve(cmd.partnerId(), cmd.amount().amountMinor());
        apply(new SubsidyReserveWithdrawn(fundId, cmd.transactionId(), cmd.partnerId(),
                cmd.amount(), cmd.valueDate()));
    }

    /** Returns the payout's status after the request: APPROVED or AWAITING_APPROVAL. */
    @CommandHandler
    public String handle(RequestPayout cmd, @MetaDataValue(Actor.KEY) String actor) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        requireAmount(cmd.amount());
        if (payouts.containsKey(cmd.payoutId()) || transactions.containsKey(cmd.payoutId())) {
            throw new RuleViolation(Rule.CLIENT_TRANSACTION_ID_REUSED,
                    "payout " + cmd.payoutId() + " is already recorded");
        }
        long amount = cmd.amount().amountMinor();
        requireAvailable(amount, "request a payout of");
        boolean approvalRequired = amount > approvalThresholdMinor;
        String requester = Actor.orSystem(actor);
        apply(new PayoutRequested(fundId, cmd.payoutId(), cmd.beneficiaryId(), cmd.category(),
                cmd.amount(), cmd.reason(), requester, approvalRequired, cmd.valueDate()));
        if (!approvalRequired) {
            apply(new PayoutApproved(fundId, cmd.payoutId(), cmd.amount(), requester, true));
            return PayoutStatus.APPROVED.name();
        }
        return PayoutStatus.AWAITING_APPROVAL.name();
    }

    @CommandHandler
    public void handle(ApprovePayout cmd, @MetaDataValue(Actor.KEY) String actor) {
        requireOpen();
        Payout payout = payout(cmd.payoutId());
        String approver = requireDecider(cmd.payoutId(), payout, actor);
        requireAvailable(payout.amountMinor(), "approve a payout of");
        apply(new PayoutApproved(fundId, cmd.payoutId(), money(payout.amountMinor()), approver,
                false));
    }

    @CommandHandler
    public void handle(RejectPayout cmd, @MetaDataValue(Actor.KEY) String actor) {
        requireOpen();
        String rejecter = requireDecider(cmd.payoutId(), payout(cmd.payoutId()), actor);
        apply(new PayoutRejected(fundId, cmd.payoutId(), rejecter, cmd.reason()));
    }

    /**
     * Maker-checker for a payout decision: it must await one, and the person deciding must not
     * be the one who requested it. Returns who decides.
     */
    private static String requireDecider(String payoutId, Payout payout, String actor) {
        if (payout.status() != PayoutStatus.AWAITING_APPROVAL) {
            throw new RuleViolation(Rule.PAYOUT_NOT_AWAITING_APPROVAL,
                    "payout " + payoutId + " is " + payout.status() + ", not awaiting approval");
        }
        String decider = Actor.orSystem(actor);
        if (decider.equals(payout.requestedBy())) {
            throw new RuleViolation(Rule.SELF_APPROVAL, "payout " + payoutId
                    + " was requested by " + decider + " and must be decided by someone else");
        }
        return decider;
    }

    @CommandHandler
    public void handle(PayPayout cmd) {
        requireOpen();
        Payout payout = payout(cmd.payoutId());
        requireValueDate(cmd.valueDate(), payout.requestedOn(), "the payout was requested");
        if (payout.status() != PayoutStatus.APPROVED) {
            throw new RuleViolation(Rule.PAYOUT_NOT_APPROVED,
                    "payout " + cmd.payoutId() + " is " + payout.status()
                            + "; only an approved payout can be paid");
        }
        // The amount was committed at approval, so cash covers it; this guards the invariant.
        if (payout.amountMinor() > cashMinor) {
            throw new RuleViolation(Rule.INSUFFICIENT_AVAILABLE_CASH,
                    "fund " + fundId + " holds " + money(cashMinor) + ", less than the "
                            + money(payout.amountMinor()) + " payout");
        }
        apply(new PayoutPaid(fundId, cmd.payoutId(), payout.category(),
                money(payout.amountMinor()), cmd.valueDate()));
    }

    /**
     * Pays a batch of small payouts at once. Every line is checked before anything is applied,
     * so the batch is paid whole or refused whole; it is recorded as parts of at most
     * {@link PayPayoutBatch#LINES_PER_PART} payouts, all appended in this one transaction.
     * Returns the number of payouts paid.
     */
    @CommandHandler
    public int handle(PayPayoutBatch cmd) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        requireNewTransaction(cmd.batchId());
        if (cmd.category() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "category is required");
        }
        if (cmd.currency() == null || !cmd.currency().equals(currency)) {
            throw new RuleViolation(Rule.CURRENCY_MISMATCH, "fund " + fundId + " keeps "
                    + currency + "; a batch in " + cmd.currency() + " cannot be paid");
        }
        List<BatchPayoutLine> lines = cmd.lines() == null ? List.of() : cmd.lines();
        PayPayoutBatch.requireLineCount(lines.size());
        java.util.Set<String> beneficiaries = new java.util.HashSet<>(lines.size() * 2);
        long total = 0;
        for (int i = 0; i < lines.size(); i++) {
            BatchPayoutLine line = lines.get(i);
            String where = "line " + (i + 1) + " of the batch";
            if (line == null || line.beneficiaryId() == null || line.beneficiaryId().isBlank()) {
                throw new RuleViolation(Rule.FIELD_REQUIRED, where + " names no beneficiary");
            }
            Money amount = money(line.amountMinor());
            try {
                amount.requireTransactionAmount();
            } catch (RuleViolation e) {
                throw new RuleViolation(e.rule(), where + ": " + e.getMessage());
            }
            if (line.amountMinor() > approvalThresholdMinor) {
                throw new RuleViolation(Rule.BATCH_LINE_NEEDS_APPROVAL, where + " pays "
                        + amount.toMajorString() + " to " + line.beneficiaryId()
                        + ", above the fund's approval threshold of "
                        + money(approvalThresholdMinor).toMajorString()
                        + "; request it as a single payout for approval");
            }
            if (!beneficiaries.add(line.beneficiaryId())) {
                throw new RuleViolation(Rule.BATCH_DUPLICATE_BENEFICIARY, where + " pays "
                        + line.beneficiaryId() + " a second time; a batch pays each"
                        + " beneficiary once");
            }
            total = Math.addExact(total, line.amountMinor());
        }
        requireAvailable(total, "pay a batch of " + lines.size() + " payouts totalling");
        int per = PayPayoutBatch.LINES_PER_PART;
        int parts = (lines.size() + per - 1) / per;
        for (int part = 0; part < parts; part++) {
            List<BatchPayoutLine> slice = List.copyOf(
                    lines.subList(part * per, Math.min(lines.size(), (part + 1) * per)));
            long partTotal = slice.stream().mapToLong(BatchPayoutLine::amountMinor).sum();
            apply(new PayoutBatchPartPaid(fundId, cmd.batchId(), part + 1, parts,
                    part * per + 1, cmd.category(), cmd.reason(), money(partTotal), slice,
                    cmd.valueDate()));
        }
        return lines.size();
    }

    @CommandHandler
    public void handle(ReverseTransaction cmd) {
        requireOpen();
        requireNewTransaction(cmd.transactionId());
        Recorded original = transactions.get(cmd.reversedTransactionId());
        if (original == null) {
            throw new RuleViolation(Rule.TRANSACTION_NOT_FOUND, "fund " + fundId
                    + " has no recorded transaction " + cmd.reversedTransactionId());
        }
        if (original.kind().name().startsWith("LOAN_")
                || original.kind() == TransactionKind.INTEREST_SUBSIDY) {
            throw new RuleViolation(Rule.TRANSACTION_NOT_REVERSIBLE, "loan disbursements and"
                    + " repayments are corrected through the loan, not by reversal");
        }
        if (original.kind() == TransactionKind.REVERSAL) {
            throw new RuleViolation(Rule.TRANSACTION_NOT_REVERSIBLE,
                    "a reversal cannot itself be reversed; record the transaction again");
        }
        if (original.reversed()) {
            throw new RuleViolation(Rule.TRANSACTION_ALREADY_REVERSED,
                    "transaction " + cmd.reversedTransactionId() + " is already reversed");
        }
        if (cmd.reason() == null || cmd.reason().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "a reversal must say why");
        }
        requireValueDate(cmd.valueDate(), original.valueDate(),
                "the transaction it reverses");
        long amount = original.amountMinor();
        switch (original.kind()) {
            case DONATION, ALLOCATION, RESERVE_WITHDRAWAL ->
                    requireAvailable(amount, "reverse a transaction taking back");
            case RESERVE_DEPOSIT -> requireReserve(original.partnerId(), amount);
            default -> {
                // Reversing a paid payout returns money to cash: nothing can go negative.
            }
        }
        apply(new TransactionReversed(fundId, cmd.transactionId(), cmd.reversedTransactionId(),
                original.kind(), money(amount), original.partnerId(), cmd.reason(),
                cmd.valueDate()));
    }

    // ----- microloans -----

    @CommandHandler
    public void handle(ApplyForLoan cmd, @MetaDataValue(Actor.KEY) String actor) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        requireAmount(cmd.principal());
        if (loans.containsKey(cmd.loanId()) || transactions.containsKey(cmd.loanId())) {
            throw new RuleViolation(Rule.CLIENT_TRANSACTION_ID_REUSED,
                    "loan " + cmd.loanId() + " is already recorded");
        }
        try {
            new ScheduleRequest(cmd.principal().amountMinor(), currency, cmd.annualRate(),
                    cmd.termMonths(), RepaymentMethod.valueOf(String.valueOf(cmd.method())),
                    cmd.valueDate());
        } catch (IllegalArgumentException e) {
            throw new RuleViolation(Rule.LOAN_TERMS_INVALID, e.getMessage());
        }
        apply(new LoanApplied(fundId, cmd.loanId(), cmd.borrowerId(), cmd.principal(),
                cmd.annualRate(), cmd.termMonths(), cmd.method(), cmd.purpose(),
                Actor.orSystem(actor), cmd.valueDate()));
    }

    @CommandHandler
    public void handle(ApproveLoan cmd, @MetaDataValue(Actor.KEY) String actor) {
        requireOpen();
        LoanAccount loan = loan(cmd.loanId());
        requireAwaitingDecision(loan);
        String approver = Actor.orSystem(actor);
        if (approver.equals(loan.appliedBy)) {
            throw new RuleViolation(Rule.SELF_APPROVAL, "loan " + cmd.loanId()
                    + " was recorded by " + approver + " and must be approved by someone else");
        }
        apply(new LoanApproved(fundId, cmd.loanId(), approver));
    }

    @CommandHandler
    public void handle(RejectLoan cmd, @MetaDataValue(Actor.KEY) String actor) {
        requireOpen();
        LoanAccount loan = loan(cmd.loanId());
        requireAwaitingDecision(loan);
        String rejecter = Actor.orSystem(actor);
        if (rejecter.equals(loan.appliedBy)) {
            throw new RuleViolation(Rule.SELF_APPROVAL, "loan " + cmd.loanId()
                    + " was recorded by " + rejecter + " and must be decided by someone else");
        }
        apply(new LoanRejected(fundId, cmd.loanId(), rejecter, cmd.reason()));
    }

    @CommandHandler
    public void handle(DisburseLoan cmd, DeadlineManager deadlines, OverdueCalendar calendar) {
        requireOpen();
        LoanAccount loan = loan(cmd.loanId());
        if (loan.status == LoanAccount.Status.ACTIVE || loan.status == LoanAccount.Status.CLOSED) {
            throw new RuleViolation(Rule.LOAN_ALREADY_DISBURSED,
                    "loan " + cmd.loanId() + " was already disbursed on " + loan.disbursedOn);
        }
        if (loan.status != LoanAccount.Status.APPROVED) {
            throw new RuleViolation(Rule.LOAN_NOT_APPROVED, "loan " + cmd.loanId() + " is "
                    + loan.status + "; only an approved loan can be disbursed");
        }
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        LocalDate firstDue = cmd.firstDueDate() != null ? cmd.firstDueDate()
                : cmd.valueDate().plusMonths(1);
        if (!firstDue.isAfter(cmd.valueDate())) {
            throw new RuleViolation(Rule.LOAN_TERMS_INVALID, "the first due date " + firstDue
                    + " must be after the disbursement on " + cmd.valueDate());
        }
        requireAvailable(loan.principalMinor, "disburse a loan of");
        List<ScheduledInstalment> schedule = loan.firstSchedule(firstDue);
        apply(new LoanDisbursed(fundId, cmd.loanId(), money(loan.principalMinor), schedule,
                cmd.valueDate()));
        // One durable deadline per instalment; each checks, when it fires, whether its
        // instalment is still unpaid. A due date already past fires straight away.
        for (ScheduledInstalment i : schedule) {
            deadlines.schedule(calendar.checkAt(i.dueDate()), OverdueCalendar.DEADLINE,
                    new InstalmentDue(cmd.loanId(), i.number(), i.dueDate()));
        }
    }

    /** A due-date deadline fired: flag the instalment if it is still not fully paid. */
    @DeadlineHandler(deadlineName = OverdueCalendar.DEADLINE)
    void on(InstalmentDue due) {
        LoanAccount loan = loans.get(due.loanId());
        if (loan == null || loan.status != LoanAccount.Status.ACTIVE) {
            return;
        }
        long unpaid = loan.unpaidMinor(due.number(), due.dueDate());
        if (unpaid > 0) {
            apply(new LoanOverdue(fundId, due.loanId(), due.number(), due.dueDate(), unpaid,
                    due.dueDate().plusDays(1)));
        }
    }

    @CommandHandler
    public void handle(RecordRepayment cmd) {
        requireOpen();
        LoanAccount loan = loan(cmd.loanId());
        if (loan.status == LoanAccount.Status.CLOSED) {
            throw new RuleViolation(Rule.LOAN_CLOSED,
                    "loan " + cmd.loanId() + " is repaid and closed; it takes no more money");
        }
        if (loan.status == LoanAccount.Status.WRITTEN_OFF) {
            recordRecovery(loan, cmd);
            return;
        }
        if (loan.status != LoanAccount.Status.ACTIVE) {
            throw new RuleViolation(Rule.LOAN_NOT_DISBURSED,
                    "loan " + cmd.loanId() + " is " + loan.status + " and owes nothing");
        }
        requireAmount(cmd.amount());
        requireNewTransaction(cmd.transactionId());
        requireValueDate(cmd.valueDate(), loan.disbursedOn, "the loan was disbursed");
        long amount = cmd.amount().amountMinor();
        long accrue = loan.penaltyToAccrueMinor(cmd.valueDate(), penaltyAnnualRate);
        long penaltyDue = Math.addExact(loan.penaltyDueMinor(), accrue);
        long owed = loan.owedMinor(cmd.valueDate(), penaltyDue);
        if (amount > owed) {
            throw new RuleViolation(Rule.REPAYMENT_EXCEEDS_OWED, "a repayment of "
                    + money(amount) + " is more than loan " + cmd.loanId() + " owes on "
                    + cmd.valueDate() + ": " + money(owed) + " (" + money(penaltyDue)
                    + " penalty, " + money(loan.interestDueMinor(cmd.valueDate()))
                    + " interest due and " + money(loan.outstandingPrincipalMinor)
                    + " principal outstanding)");
        }
        if (accrue > 0) {
            apply(new PenaltyAccrued(fundId, cmd.loanId(), accrue, cmd.valueDate()));
        }
        LoanAccount.Allocation a = loan.allocate(amount, cmd.valueDate(), penaltyDue,
                allocationOrder);
        apply(new RepaymentReceived(fundId, cmd.loanId(), cmd.transactionId(), cmd.amount(),
                a.penaltyMinor(), a.interestMinor(), a.principalMinor(), a.lines(),
                a.outstandingAfterMinor(), cmd.valueDate()));
        if (!a.rescheduled().isEmpty()) {
            apply(new LoanRescheduled(fundId, cmd.loanId(), loan.scheduleVersion + 1,
                    "early repayment of " + money(a.earlyPrincipalMinor()) + " principal",
                    a.rescheduled(), cmd.valueDate()));
        }
        if (a.outstandingAfterMinor() == 0) {
            apply(new LoanClosed(fundId, cmd.loanId(), cmd.valueDate()));
        }
    }

    /** Money on a written-off loan is a recovery, up to what was written off. */
    private void recordRecovery(LoanAccount loan, RecordRepayment cmd) {
        requireAmount(cmd.amount());
        requireNewTransaction(cmd.transactionId());
        requireValueDate(cmd.valueDate(), loan.disbursedOn, "the loan was disbursed");
        if (cmd.amount().amountMinor() > loan.recoverableMinor) {
            throw new RuleViolation(Rule.REPAYMENT_EXCEEDS_OWED, "loan " + loan.loanId
                    + " was written off; " + money(loan.recoverableMinor)
                    + " can still be recovered, less than " + cmd.amount());
        }
        apply(new WrittenOffRecoveryReceived(fundId, loan.loanId, cmd.transactionId(),
                cmd.amount(), cmd.valueDate()));
    }

    @CommandHandler
    public void handle(WriteOffLoan cmd) {
        requireOpen();
        LoanAccount loan = activeLoan(cmd.loanId());
        requireValueDate(cmd.valueDate(), loan.disbursedOn, "the loan was disbursed");
        if (cmd.reason() == null || cmd.reason().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "a write-off must say why");
        }
        apply(new LoanWrittenOff(fundId, cmd.loanId(), money(loan.outstandingPrincipalMinor),
                cmd.reason(), cmd.valueDate()));
    }

    /** What an active loan still owes in principal; for a conversion handled across funds. */
    long outstandingPrincipalOf(String loanId) {
        return activeLoan(loanId).outstandingPrincipalMinor;
    }

    /**
     * Every check of the loan's side of a conversion, run before either fund applies anything, so
     * that no rule can fail after the other fund has changed.
     */
    void checkConversion(ConvertLoanToGrant cmd) {
        requireOpen();
        LoanAccount loan = activeLoan(cmd.loanId());
        requireValueDate(cmd.valueDate(), loan.disbursedOn, "the loan was disbursed");
        if (cmd.reason() == null || cmd.reason().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "a conversion must say why");
        }
    }

    /** The loan's side of a conversion: its fund receives the outstanding principal as cash. */
    void convertLoan(ConvertLoanToGrant cmd) {
        checkConversion(cmd);
        LoanAccount loan = activeLoan(cmd.loanId());
        apply(new LoanConvertedToGrant(fundId, cmd.loanId(), cmd.hardshipFundId(),
                money(loan.outstandingPrincipalMinor), cmd.reason(), cmd.valueDate()));
    }

    /** The hardship fund's side of a conversion: it pays the grant out of its cash. */
    void payLoanGrant(ConvertLoanToGrant cmd, long amountMinor) {
        requireOpen();
        if (purpose != FundPurpose.HARDSHIP) {
            throw new RuleViolation(Rule.FUND_NOT_HARDSHIP, "fund " + fundId + " is a "
                    + purpose + " fund; a loan is converted into a grant of a hardship fund");
        }
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        Money amount = money(amountMinor);
        amount.requireSameCurrency(Money.ofMinor(1, currency));
        requireAvailable(amountMinor, "pay a grant of");
        apply(new LoanGrantPaid(fundId, cmd.loanId(), cmd.fundId(), amount, cmd.reason(),
                cmd.valueDate()));
    }

    String currency() {
        return currency;
    }

    private LoanAccount activeLoan(String loanId) {
        LoanAccount loan = loan(loanId);
        if (loan.status != LoanAccount.Status.ACTIVE) {
            throw new RuleViolation(Rule.LOAN_NOT_ACTIVE, "loan " + loanId + " is "
                    + loan.status + "; only an outstanding loan can be written off or converted");
        }
        return loan;
    }

    @EventSourcingHandler
    void on(LoanWrittenOff e) {
        LoanAccount loan = loans.get(e.loanId());
        loan.status = LoanAccount.Status.WRITTEN_OFF;
        loan.recoverableMinor = e.principalWrittenOff().amountMinor();
        loan.outstandingPrincipalMinor = 0;
        record(e.loanId() + ":write-off", TransactionKind.LOAN_WRITE_OFF,
                e.principalWrittenOff(), null, e.valueDate());
    }

    @EventSourcingHandler
    void on(WrittenOffRecoveryReceived e) {
        LoanAccount loan = loans.get(e.loanId());
        loan.recoverableMinor = Math.subtractExact(loan.recoverableMinor,
                e.amount().amountMinor());
        cashMinor = Math.addExact(cashMinor, e.amount().amountMinor());
        record(e.transactionId(), TransactionKind.LOAN_RECOVERY, e.amount(), null,
                e.valueDate());
    }

    @EventSourcingHandler
    void on(LoanConvertedToGrant e) {
        LoanAccount loan = loans.get(e.loanId());
        loan.status = LoanAccount.Status.CONVERTED;
        loan.outstandingPrincipalMinor = 0;
        cashMinor = Math.addExact(cashMinor, e.principalSettled().amountMinor());
        record(e.loanId() + ":conversion", TransactionKind.LOAN_CONVERSION,
                e.principalSettled(), null, e.valueDate());
    }

    @EventSourcingHandler
    void on(LoanGrantPaid e) {
        cashMinor = Math.subtractExact(cashMinor, e.amount().amountMinor());
        record(e.loanFundId() + ":" + e.loanId() + ":grant", TransactionKind.LOAN_GRANT,
                e.amount(), null, e.valueDate());
    }

    /**
     * Reschedules an outstanding loan whose earlier instalments are all paid: interest or
     * principal still due must be settled first, so that no arrears vanish into a new schedule.
     */
    @CommandHandler
    public void handle(RescheduleLoan cmd, DeadlineManager deadlines, OverdueCalendar calendar) {
        requireOpen();
        LoanAccount loan = activeLoan(cmd.loanId());
        requireValueDate(cmd.valueDate(), loan.disbursedOn, "the loan was disbursed");
        if (cmd.reason() == null || cmd.reason().isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "a rescheduling must say why");
        }
        if (cmd.firstDueDate() == null || !cmd.firstDueDate().isAfter(cmd.valueDate())) {
            throw new RuleViolation(Rule.LOAN_TERMS_INVALID,
                    "the first new due date must come after the rescheduling date");
        }
        long arrears = Math.subtractExact(loan.owedMinor(cmd.valueDate(), 0),
                loan.outstandingPrincipalMinor);
        for (LoanAccount.Line l : loan.schedule) {
            if (!l.dueDate.isAfter(cmd.valueDate())) {
                arrears = Math.addExact(arrears, l.principalMinor - l.principalPaidMinor);
            }
        }
        if (arrears > 0 || loan.penaltyDueMinor() > 0) {
            throw new RuleViolation(Rule.LOAN_NOT_ACTIVE, "loan " + cmd.loanId() + " has "
                    + money(arrears) + " due and " + money(loan.penaltyDueMinor())
                    + " penalty unpaid; settle them before rescheduling");
        }
        List<ScheduledInstalment> remaining;
        try {
            remaining = loan.rescheduledOver(cmd.remainingMonths(), cmd.firstDueDate(),
                    cmd.valueDate());
        } catch (IllegalArgumentException e) {
            throw new RuleViolation(Rule.LOAN_TERMS_INVALID, e.getMessage());
        }
        apply(new LoanRescheduled(fundId, cmd.loanId(), loan.scheduleVersion + 1,
                cmd.reason(), remaining, cmd.valueDate()));
        for (ScheduledInstalment i : remaining) {
            deadlines.schedule(calendar.checkAt(i.dueDate()), OverdueCalendar.DEADLINE,
                    new InstalmentDue(cmd.loanId(), i.number(), i.dueDate()));
        }
    }

    @CommandHandler
    public void handle(SetLoanPolicy cmd) {
        requireOpen();
        if (cmd.penaltyAnnualRate() == null || cmd.penaltyAnnualRate().signum() < 0
                || cmd.penaltyAnnualRate().compareTo(java.math.BigDecimal.ONE) > 0) {
            throw new RuleViolation(Rule.LOAN_TERMS_INVALID, "penaltyAnnualRate must be between"
                    + " 0 and 1 (a fraction, 0.18 for 18%), was " + cmd.penaltyAnnualRate());
        }
        if (cmd.allocationOrder() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "allocationOrder is required");
        }
        apply(new LoanPolicySet(fundId, cmd.penaltyAnnualRate(), cmd.allocationOrder()));
    }

    @EventSourcingHandler
    void on(LoanPolicySet e) {
        penaltyAnnualRate = e.penaltyAnnualRate();
        allocationOrder = e.allocationOrder();
    }

    @EventSourcingHandler
    void on(PenaltyAccrued e) {
        LoanAccount loan = loans.get(e.loanId());
        loan.penaltyAccruedMinor = Math.addExact(loan.penaltyAccruedMinor, e.amountMinor());
        loan.penaltyThrough = e.through();
    }

    private LoanAccount loan(String loanId) {
        LoanAccount loan = loans.get(loanId);
        if (loan == null) {
            throw new RuleViolation(Rule.LOAN_NOT_FOUND,
                    "fund " + fundId + " has no loan " + loanId);
        }
        return loan;
    }

    private static void requireAwaitingDecision(LoanAccount loan) {
        if (loan.status != LoanAccount.Status.APPLIED) {
            throw new RuleViolation(Rule.LOAN_NOT_AWAITING_APPROVAL,
                    "loan " + loan.loanId + " is " + loan.status + ", not awaiting a decision");
        }
    }

    @EventSourcingHandler
    void on(LoanApplied e) {
        loans.put(e.loanId(), new LoanAccount(e));
    }

    @EventSourcingHandler
    void on(LoanApproved e) {
        loans.get(e.loanId()).status = LoanAccount.Status.APPROVED;
    }

    @EventSourcingHandler
    void on(LoanRejected e) {
        loans.get(e.loanId()).status = LoanAccount.Status.REJECTED;
    }

    @EventSourcingHandler
    void on(LoanDisbursed e) {
        loans.get(e.loanId()).disbursed(e.valueDate(), e.schedule());
        cashMinor = Math.subtractExact(cashMinor, e.principal().amountMinor());
        record(e.loanId(), TransactionKind.LOAN_DISBURSEMENT, e.principal(), null,
                e.valueDate());
    }

    @EventSourcingHandler
    void on(RepaymentReceived e) {
        LoanAccount repaid = loans.get(e.loanId());
        repaid.repaid(e.allocation(), e.outstandingPrincipalMinor());
        repaid.penaltyPaidMinor = Math.addExact(repaid.penaltyPaidMinor, e.penaltyMinor());
        cashMinor = Math.addExact(cashMinor, e.amount().amountMinor());
        record(e.transactionId(), TransactionKind.LOAN_REPAYMENT, e.amount(), null,
                e.valueDate());
    }

    @EventSourcingHandler
    void on(LoanRescheduled e) {
        loans.get(e.loanId()).rescheduled(e.version(), e.remaining());
    }

    @EventSourcingHandler
    void on(LoanClosed e) {
        loans.get(e.loanId()).status = LoanAccount.Status.CLOSED;
    }

    // ----- interest-subsidised loans served by partners -----

    @CommandHandler
    public void handle(RegisterSubsidisedLoan cmd, DeadlineManager deadlines,
            OverdueCalendar calendar) {
        requireOpen();
        requireValueDate(cmd.valueDate(), openedOn, "the fund was opened");
        if (!reservesMinor.containsKey(cmd.partnerId())) {
            throw new RuleViolation(Rule.RESERVE_NOT_FOUND, "fund " + fundId
                    + " holds no reserve at partner " + cmd.partnerId()
                    + "; deposit one before subsidising the partner's loans");
        }
        if (subsidised.containsKey(cmd.loanId()) || loans.containsKey(cmd.loanId())) {
            throw new RuleViolation(Rule.CLIENT_TRANSACTION_ID_REUSED,
                    "loan " + cmd.loanId() + " is already recorded");
        }
        requireAmount(cmd.principal());
        requireAmount(cmd.subsidyCap());
        if (cmd.subsidyShare() == null || cmd.subsidyShare().signum() <= 0
                || cmd.subsidyShare().compareTo(java.math.BigDecimal.ONE) > 0) {
            throw new RuleViolation(Rule.LOAN_TERMS_INVALID, "subsidyShare must be above 0 and"
                    + " at most 1 (1 = all interest), was " + cmd.subsidyShare());
        }
        List<ScheduledInstalment> schedule;
        try {
            schedule = ScheduleCalculator.compute(new ScheduleRequest(
                    cmd.principal().amountMinor(), currency, cmd.annualRate(), cmd.termMonths(),
                    RepaymentMethod.valueOf(String.valueOf(cmd.method())), cmd.firstDueDate()))
                    .instalments().stream().map(i -> new ScheduledInstalment(i.number(),
                            i.dueDate(), i.principalMinor(), i.interestMinor())).toList();
        } catch (IllegalArgumentException e) {
            throw new RuleViolation(Rule.LOAN_TERMS_INVALID, e.getMessage());
        }
        apply(new SubsidisedLoanRegistered(fundId, cmd.loanId(), cmd.partnerId(),
                cmd.borrowerId(), cmd.principal(), cmd.annualRate(), cmd.termMonths(),
                cmd.method(), cmd.subsidyShare(), cmd.subsidyCap(), schedule, cmd.valueDate()));
        if (cmd.payAutomatically()) {
            for (ScheduledInstalment i : schedule) {
                deadlines.schedule(calendar.checkAt(i.dueDate()), SUBSIDY_DEADLINE,
                        new SubsidyDue(cmd.loanId(), i.number(), i.dueDate()));
            }
        }
    }

    private static final String SUBSIDY_DEADLINE = "subsidy-due";

    /**
     * A period of an automatically paid subsidised loan fell due. Deadlines that are already
     * past fire together and in any order, so this settles every period up to this one, oldest
     * first: each is paid from the reserve or, when the reserve cannot cover it, flagged as a
     * shortfall with nothing paid. A period already paid or flagged is left alone.
     */
    @DeadlineHandler(deadlineName = SUBSIDY_DEADLINE)
    void on(SubsidyDue due) {
        SubsidisedLoan loan = subsidised.get(due.loanId());
        if (closed || loan == null) {
            return;
        }
        long reserve = reservesMinor.getOrDefault(loan.partnerId, 0L);
        long paid = loan.paidMinor;
        for (ScheduledInstalment period : loan.schedule) {
            if (period.number() > due.period()) {
                break;
            }
            if (loan.paidPeriods.contains(period.number())
                    || loan.flaggedPeriods.contains(period.number())
                    || (loan.endedOn != null && period.dueDate().isAfter(loan.endedOn))) {
                continue;
            }
            long amount = SubsidisedLoan.dueMinor(period.interestMinor(), loan.share,
                    loan.capMinor, paid);
            if (amount == 0) {
                continue;
            }
            if (amount > reserve) {
                apply(new SubsidyShortfallFlagged(fundId, due.loanId(), loan.partnerId,
                        period.number(), amount, reserve, period.dueDate()));
                continue;
            }
            // Paid as of its due date, or on the first open day when that month is closed.
            LocalDate valueDate = closedThrough != null
                    && !period.dueDate().isAfter(closedThrough)
                    ? closedThrough.plusDays(1) : period.dueDate();
            apply(new InterestSubsidyPaid(fundId, due.loanId(), loan.partnerId,
                    due.loanId() + ":" + period.number(), period.number(), money(amount),
                    valueDate));
            reserve -= amount;
            paid += amount;
        }
    }

    @EventSourcingHandler
    void on(SubsidyShortfallFlagged e) {
        subsidised.get(e.loanId()).flaggedPeriods.add(e.period());
    }

    /** Returns the amount paid, in minor units, as text. */
    @CommandHandler
    public String handle(PayInterestSubsidy cmd) {
        requireOpen();
        SubsidisedLoan loan = subsidisedLoan(cmd.loanId());
        ScheduledInstalment period = loan.period(cmd.period());
        if (period == null) {
            throw new RuleViolation(Rule.SUBSIDY_PERIOD_UNKNOWN, "loan " + cmd.loanId()
                    + " has no period " + cmd.period() + " (1 to " + loan.schedule.size() + ")");
        }
        if (loan.paidPeriods.contains(cmd.period())) {
            throw new RuleViolation(Rule.SUBSIDY_ALREADY_PAID, "the subsidy for period "
                    + cmd.period() + " of loan " + cmd.loanId() + " is already paid");
        }
        if (loan.endedOn != null && period.dueDate().isAfter(loan.endedOn)) {
            throw new RuleViolation(Rule.SUBSIDY_STOPPED, "loan " + cmd.loanId() + " ended on "
                    + loan.endedOn + "; no subsidy is due for period " + cmd.period()
                    + " (due " + period.dueDate() + ")");
        }
        requireValueDate(cmd.valueDate(), period.dueDate(), "the period falls due");
        requireNewTransaction(cmd.transactionId());
        long due = loan.dueMinor(period);
        if (due == 0) {
            throw new RuleViolation(Rule.SUBSIDY_CAP_REACHED, "loan " + cmd.loanId()
                    + " has had its cap of " + money(loan.capMinor) + " paid");
        }
        requireReserve(loan.partnerId, due);
        apply(new InterestSubsidyPaid(fundId, cmd.loanId(), loan.partnerId,
                cmd.transactionId(), cmd.period(), money(due), cmd.valueDate()));
        return Long.toString(due);
    }

    @CommandHandler
    public void handle(ReportPartnerLoanEnded cmd) {
        requireOpen();
        SubsidisedLoan loan = subsidisedLoan(cmd.loanId());
        if (loan.endedOn != null) {
            throw new RuleViolation(Rule.LOAN_CLOSED,
                    "loan " + cmd.loanId() + " already ended on " + loan.endedOn);
        }
        if (cmd.reason() == null || cmd.endedOn() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "reason and endedOn are required");
        }
        apply(new PartnerLoanEnded(fundId, cmd.loanId(), cmd.reason(), cmd.endedOn()));
    }

    private SubsidisedLoan subsidisedLoan(String loanId) {
        SubsidisedLoan loan = subsidised.get(loanId);
        if (loan == null) {
            throw new RuleViolation(Rule.LOAN_NOT_FOUND,
                    "fund " + fundId + " subsidises no loan " + loanId);
        }
        return loan;
    }

    @EventSourcingHandler
    void on(SubsidisedLoanRegistered e) {
        subsidised.put(e.loanId(), new SubsidisedLoan(e));
    }

    @EventSourcingHandler
    void on(InterestSubsidyPaid e) {
        SubsidisedLoan loan = subsidised.get(e.loanId());
        loan.paidMinor = Math.addExact(loan.paidMinor, e.amount().amountMinor());
        loan.paidPeriods.add(e.period());
        reservesMinor.merge(e.partnerId(), Math.negateExact(e.amount().amountMinor()),
                Math::addExact);
        record(e.transactionId(), TransactionKind.INTEREST_SUBSIDY, e.amount(), e.partnerId(),
                e.valueDate());
    }

    @EventSourcingHandler
    void on(PartnerLoanEnded e) {
        subsidised.get(e.loanId()).endedOn = e.endedOn();
    }

    // ----- state changes only below this line -----

    @EventSourcingHandler
    void on(FundOpened e) {
        fundId = e.fundId();
        currency = e.currency();
        approvalThresholdMinor = e.approvalThreshold().amountMinor();
        openedOn = e.valueDate();
        purpose = e.purpose();
    }

    @EventSourcingHandler
    void on(PeriodClosed e) {
        closedThrough = e.closedThrough();
    }

    @EventSourcingHandler
    void on(FundClosed e) {
        closed = true;
    }

    @EventSourcingHandler
    void on(DonationReceived e) {
        cashMinor = Math.addExact(cashMinor, e.amount().amountMinor());
        record(e.transactionId(), TransactionKind.DONATION, e.amount(), null, e.valueDate());
    }

    @EventSourcingHandler
    void on(AllocationReceived e) {
        cashMinor = Math.addExact(cashMinor, e.amount().amountMinor());
        record(e.transactionId(), TransactionKind.ALLOCATION, e.amount(), null, e.valueDate());
    }

    @EventSourcingHandler
    void on(SubsidyReserveDeposited e) {
        moveToReserve(e.partnerId(), e.amount().amountMinor());
        record(e.transactionId(), TransactionKind.RESERVE_DEPOSIT, e.amount(), e.partnerId(),
                e.valueDate());
    }

    @EventSourcingHandler
    void on(SubsidyReserveWithdrawn e) {
        moveToReserve(e.partnerId(), Math.negateExact(e.amount().amountMinor()));
        record(e.transactionId(), TransactionKind.RESERVE_WITHDRAWAL, e.amount(),
                e.partnerId(), e.valueDate());
    }

    @EventSourcingHandler
    void on(PayoutRequested e) {
        payouts.put(e.payoutId(), new Payout(e.requestedBy(), e.category(),
                e.amount().amountMinor(), PayoutStatus.AWAITING_APPROVAL, e.valueDate()));
    }

    @EventSourcingHandler
    void on(PayoutApproved e) {
        payouts.computeIfPresent(e.payoutId(), (id, p) -> p.with(PayoutStatus.APPROVED));
        committedMinor = Math.addExact(committedMinor, e.amount().amountMinor());
    }

    @EventSourcingHandler
    void on(PayoutRejected e) {
        payouts.computeIfPresent(e.payoutId(), (id, p) -> p.with(PayoutStatus.REJECTED));
    }

    @EventSourcingHandler
    void on(PayoutPaid e) {
        payouts.computeIfPresent(e.payoutId(), (id, p) -> p.with(PayoutStatus.PAID));
        committedMinor = Math.subtractExact(committedMinor, e.amount().amountMinor());
        cashMinor = Math.subtractExact(cashMinor, e.amount().amountMinor());
        record(e.payoutId(), TransactionKind.PAYOUT, e.amount(), null, e.valueDate());
    }

    @EventSourcingHandler
    void on(PayoutBatchPartPaid e) {
        long amount = e.partTotal().amountMinor();
        cashMinor = Math.subtractExact(cashMinor, amount);
        // The batch is one transaction: reversing it returns every part.
        transactions.merge(e.batchId(), new Recorded(TransactionKind.PAYOUT_BATCH, amount, null,
                false, e.valueDate()), (a, b) -> new Recorded(a.kind(),
                Math.addExact(a.amountMinor(), b.amountMinor()), null, a.reversed(),
                a.valueDate()));
    }

    @EventSourcingHandler
    void on(TransactionReversed e) {
        long amount = e.amount().amountMinor();
        switch (e.reversedKind()) {
            case DONATION, ALLOCATION -> cashMinor = Math.subtractExact(cashMinor, amount);
            case RESERVE_DEPOSIT -> moveToReserve(e.partnerId(), Math.negateExact(amount));
            case RESERVE_WITHDRAWAL -> moveToReserve(e.partnerId(), amount);
            case PAYOUT_BATCH -> cashMinor = Math.addExact(cashMinor, amount);
            case PAYOUT -> {
                cashMinor = Math.addExact(cashMinor, amount);
                payouts.computeIfPresent(e.reversedTransactionId(),
                        (id, p) -> p.with(PayoutStatus.REVERSED));
            }
            default -> throw new IllegalStateException("unexpected " + e.reversedKind());
        }
        transactions.computeIfPresent(e.reversedTransactionId(),
                (id, r) -> new Recorded(r.kind(), r.amountMinor(), r.partnerId(), true,
                        r.valueDate()));
        record(e.transactionId(), TransactionKind.REVERSAL, e.amount(), e.partnerId(),
                e.valueDate());
    }

    // ----- helpers -----

    private void moveToReserve(String partnerId, long amountMinor) {
        cashMinor = Math.subtractExact(cashMinor, amountMinor);
        reservesMinor.merge(partnerId, amountMinor, Math::addExact);
    }

    private void record(String transactionId, TransactionKind kind, Money amount,
            String partnerId, LocalDate valueDate) {
        transactions.put(transactionId,
                new Recorded(kind, amount.amountMinor(), partnerId, false, valueDate));
    }

    /** A value date may not fall before the fund was opened, nor before what it follows. */
    private void requireValueDate(LocalDate valueDate, LocalDate notBefore, String what) {
        if (valueDate == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "a value date is required");
        }
        if (closedThrough != null && !valueDate.isAfter(closedThrough)) {
            throw new RuleViolation(Rule.PERIOD_CLOSED, "value date " + valueDate
                    + " falls in a closed period (closed through " + closedThrough
                    + "); record it, or its correction, with a date in the open period");
        }
        if (notBefore != null && valueDate.isBefore(notBefore)) {
            throw new RuleViolation(Rule.VALUE_DATE_TOO_EARLY, "value date " + valueDate
                    + " is before " + what + " (" + notBefore + ")");
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new RuleViolation(Rule.FUND_CLOSED,
                    "fund " + fundId + " is closed and takes no further transactions");
        }
    }

    private void requireAmount(Money amount) {
        if (amount == null) {
            throw new RuleViolation(Rule.AMOUNT_MISSING, "an amount is required");
        }
        if (!amount.currency().equals(currency)) {
            throw new RuleViolation(Rule.CURRENCY_MISMATCH, "fund " + fundId + " keeps "
                    + currency + "; an amount in " + amount.currency() + " cannot be recorded");
        }
        amount.requireTransactionAmount();
    }

    private void requireNewTransaction(String transactionId) {
        if (transactionId == null || transactionId.isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "a transaction id is required");
        }
        if (transactions.containsKey(transactionId) || payouts.containsKey(transactionId)) {
            throw new RuleViolation(Rule.CLIENT_TRANSACTION_ID_REUSED,
                    "transaction " + transactionId + " is already recorded in fund " + fundId);
        }
    }

    private void requireAvailable(long amountMinor, String what) {
        long available = Math.subtractExact(cashMinor, committedMinor);
        if (amountMinor > available) {
            throw new RuleViolation(Rule.INSUFFICIENT_AVAILABLE_CASH, "cannot " + what + " "
                    + money(amountMinor) + ": fund " + fundId + " has " + money(available)
                    + " available (" + money(cashMinor) + " cash, " + money(committedMinor)
                    + " committed)");
        }
    }

    private void requireReserve(String partnerId, long amountMinor) {
        long reserve = reservesMinor.getOrDefault(partnerId, 0L);
        if (amountMinor > reserve) {
            throw new RuleViolation(Rule.INSUFFICIENT_RESERVE, "the reserve of fund " + fundId
                    + " at partner " + partnerId + " is " + money(reserve) + ", less than "
                    + money(amountMinor));
        }
    }

    private Payout payout(String payoutId) {
        Payout payout = payouts.get(payoutId);
        if (payout == null) {
            throw new RuleViolation(Rule.PAYOUT_NOT_FOUND,
                    "fund " + fundId + " has no payout " + payoutId);
        }
        return payout;
    }

    private Money money(long amountMinor) {
        return Money.ofMinor(amountMinor, currency);
    }
}
