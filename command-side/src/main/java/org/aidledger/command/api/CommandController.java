package org.aidledger.command.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.aidledger.command.api.Requests.AllocationRequest;
import org.aidledger.command.api.Requests.CloseFundRequest;
import org.aidledger.command.api.Requests.Created;
import org.aidledger.command.api.Requests.DecisionRequest;
import org.aidledger.command.api.Requests.DonationRequest;
import org.aidledger.command.api.Requests.OpenFundRequest;
import org.aidledger.command.api.Requests.PayRequest;
import org.aidledger.command.api.Requests.PayoutAnswer;
import org.aidledger.command.api.Requests.PayoutBatchAnswer;
import org.aidledger.command.api.Requests.PayoutBatchRequest;
import org.aidledger.command.api.Requests.PayoutRequest;
import org.aidledger.command.api.Requests.RegisterPartnerRequest;
import org.aidledger.command.api.Requests.RegisterUnionBodyRequest;
import org.aidledger.command.api.Requests.ReserveMovementRequest;
import org.aidledger.command.api.Requests.ReversalRequest;
import org.aidledger.command.api.Requests.TransactionRecorded;
import org.aidledger.command.support.LedgerCommands;
import org.aidledger.messages.body.RegisterUnionBody;
import org.aidledger.messages.fund.ApprovePayout;
import org.aidledger.messages.fund.BatchPayoutLine;
import org.aidledger.messages.fund.CloseFund;
import org.aidledger.messages.fund.ClosePeriod;
import org.aidledger.messages.fund.DepositReserve;
import org.aidledger.messages.fund.OpenFund;
import org.aidledger.messages.fund.PayPayoutBatch;
import org.aidledger.messages.fund.PayPayout;
import org.aidledger.messages.fund.RecordAllocation;
import org.aidledger.messages.fund.RecordDonation;
import org.aidledger.messages.fund.RejectPayout;
import org.aidledger.messages.fund.RequestPayout;
import org.aidledger.messages.fund.ReverseTransaction;
import org.aidledger.messages.fund.WithdrawReserve;
import org.aidledger.messages.loan.ApplyForLoan;
import org.aidledger.messages.loan.ConvertLoanToGrant;
import org.aidledger.messages.loan.WriteOffLoan;
import org.aidledger.messages.loan.ApproveLoan;
import org.aidledger.messages.loan.DisburseLoan;
import org.aidledger.messages.loan.RecordRepayment;
import org.aidledger.messages.loan.RejectLoan;
import org.aidledger.messages.loan.RescheduleLoan;
import org.aidledger.messages.loan.SetLoanPolicy;
import org.aidledger.messages.money.Money;
import org.aidledger.messages.subsidy.PayInterestSubsidy;
import org.aidledger.messages.subsidy.RegisterSubsidisedLoan;
import org.aidledger.messages.subsidy.ReportPartnerLoanEnded;
import org.aidledger.messages.partner.RegisterPartner;
import org.aidledger.messages.rules.Ids;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every write the ledger takes over REST. Each needs a {@value #CLIENT_TX} header: a repeat with
 * the same id and body answers as the first did and writes nothing.
 */
@RestController
@RequestMapping(path = "/api/v1",
        produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "commands", description = "Record transactions (ADMIN) and decide payouts (APPROVER)")
public class CommandController {

    public static final String CLIENT_TX = "Client-Transaction-Id";
    /** Longest free-text field (names, reasons), in characters. */
    public static final int TEXT_LENGTH_MAX = 500;

    private final LedgerCommands commands;
    private final Clock clock;

    public CommandController(LedgerCommands commands, Clock clock) {
        this.commands = commands;
        this.clock = clock;
    }

    @PostMapping("/union-bodies")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a union body under an existing parent")
    public Created registerBody(@Parameter(required = true) @RequestHeader(value = CLIENT_TX,
            required = false) String clientTx, @RequestBody RegisterUnionBodyRequest r) {
        commands.send(new RegisterUnionBody(id(r.bodyId(), "bodyId"), text(r.name(), "name"),
                r.level(), optionalId(r.parentId(), "parentId")), clientTx);
        return new Created(r.bodyId());
    }

    @PostMapping("/partners")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a partner credit union")
    public Created registerPartner(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @RequestBody RegisterPartnerRequest r) {
        commands.send(new RegisterPartner(id(r.partnerId(), "partnerId"),
                text(r.name(), "name")), clientTx);
        return new Created(r.partnerId());
    }

    @PostMapping("/funds")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Open a fund for a union body")
    public Created openFund(@RequestHeader(value = CLIENT_TX, required = false) String clientTx,
            @RequestBody OpenFundRequest r) {
        if (r.purpose() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "purpose is required");
        }
        Money threshold = Money.parse(r.approvalThreshold(), r.currency());
        commands.send(new OpenFund(id(r.fundId(), "fundId"), id(r.bodyId(), "bodyId"),
                text(r.name(), "name"), r.purpose(), r.currency(), threshold,
                valueDate(r.valueDate())), clientTx);
        return new Created(r.fundId());
    }

    @PostMapping("/funds/{fundId}/close")
    @Operation(summary = "Close an empty fund")
    public Created closeFund(@RequestHeader(value = CLIENT_TX, required = false) String clientTx,
            @PathVariable String fundId, @RequestBody(required = false) CloseFundRequest r) {
        CloseFundRequest req = r == null ? new CloseFundRequest(null, null) : r;
        commands.send(new CloseFund(fundId, optionalText(req.reason(), "reason"),
                valueDate(req.valueDate())), clientTx);
        return new Created(fundId);
    }

    @PostMapping("/funds/{fundId}/periods/{period}/close")
    @Operation(summary = "Close the fund's accounting periods up to a month that has ended"
            + " (period like 2026-03)")
    public Created closePeriod(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String period) {
        YearMonth month;
        try {
            month = YearMonth.parse(period);
        } catch (java.time.format.DateTimeParseException e) {
            throw new RuleViolation(Rule.FIELD_INVALID,
                    "period must be a month like 2026-03, was '" + period + "'");
        }
        if (!month.isBefore(YearMonth.now(clock))) {
            throw new RuleViolation(Rule.PERIOD_NOT_ENDED,
                    "period " + month + " has not ended yet; only past months can be closed");
        }
        commands.send(new ClosePeriod(fundId, month), clientTx);
        return new Created(fundId + "/" + month);
    }

    @PostMapping("/funds/{fundId}/donations")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a donation")
    public TransactionRecorded donate(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @RequestBody DonationRequest r) {
        if (r.donorType() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "donorType is required");
        }
        String txId = txId(clientTx);
        commands.send(new RecordDonation(fundId, txId, amount(r.amount(), r.currency()),
                r.donorType(), optionalId(r.donorRef(), "donorRef"),
                optionalText(r.campaign(), "campaign"),
                optionalText(r.restrictedPurpose(), "restrictedPurpose"),
                valueDate(r.valueDate())), clientTx);
        return new TransactionRecorded(fundId, txId);
    }

    @PostMapping("/funds/{fundId}/allocations")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record an allocation from a higher body or a government subsidy")
    public TransactionRecorded allocate(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @RequestBody AllocationRequest r) {
        if (r.kind() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "kind is required");
        }
        String txId = txId(clientTx);
        commands.send(new RecordAllocation(fundId, txId, amount(r.amount(), r.currency()),
                r.kind(), text(r.source(), "source"), valueDate(r.valueDate())), clientTx);
        return new TransactionRecorded(fundId, txId);
    }

    @PostMapping("/funds/{fundId}/reserves/{partnerId}/deposits")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Deposit fund cash as a subsidy reserve at a partner credit union")
    public TransactionRecorded deposit(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String partnerId,
            @RequestBody ReserveMovementRequest r) {
        String txId = txId(clientTx);
        commands.send(new DepositReserve(fundId, txId, partnerId,
                amount(r.amount(), r.currency()), valueDate(r.valueDate())), clientTx);
        return new TransactionRecorded(fundId, txId);
    }

    @PostMapping("/funds/{fundId}/reserves/{partnerId}/withdrawals")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Withdraw money from a reserve back into fund cash")
    public TransactionRecorded withdraw(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String partnerId,
            @RequestBody ReserveMovementRequest r) {
        String txId = txId(clientTx);
        commands.send(new WithdrawReserve(fundId, txId, partnerId,
                amount(r.amount(), r.currency()), valueDate(r.valueDate())), clientTx);
        return new TransactionRecorded(fundId, txId);
    }

    @PostMapping("/funds/{fundId}/payouts")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Request a hardship payout; above the fund's threshold it awaits approval")
    public PayoutAnswer requestPayout(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @RequestBody PayoutRequest r) {
        if (r.category() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "category is required");
        }
        String payoutId = txId(clientTx);
        Object status = commands.send(new RequestPayout(fundId, payoutId,
                id(r.beneficiaryId(), "beneficiaryId"), r.category(),
                amount(r.amount(), r.currency()), text(r.reason(), "reason"),
                valueDate(r.valueDate())), clientTx);
        return new PayoutAnswer(fundId, payoutId, String.valueOf(status));
    }

    @PostMapping("/funds/{fundId}/payouts/{payoutId}/approve")
    @Operation(summary = "Approve a payout requested by someone else")
    public PayoutAnswer approve(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String payoutId) {
        commands.send(new ApprovePayout(fundId, payoutId), clientTx);
        return new PayoutAnswer(fundId, payoutId, "APPROVED");
    }

    @PostMapping("/funds/{fundId}/payouts/{payoutId}/reject")
    @Operation(summary = "Reject a payout requested by someone else")
    public PayoutAnswer reject(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String payoutId,
            @RequestBody DecisionRequest r) {
        commands.send(new RejectPayout(fundId, payoutId, text(r.reason(), "reason")), clientTx);
        return new PayoutAnswer(fundId, payoutId, "REJECTED");
    }

    @PostMapping("/funds/{fundId}/payouts/{payoutId}/pay")
    @Operation(summary = "Pay an approved payout out of fund cash")
    public PayoutAnswer pay(@RequestHeader(value = CLIENT_TX, required = false) String clientTx,
            @PathVariable String fundId, @PathVariable String payoutId,
            @RequestBody(required = false) PayRequest r) {
        commands.send(new PayPayout(fundId, payoutId, valueDate(r == null ? null
                : r.valueDate())), clientTx);
        return new PayoutAnswer(fundId, payoutId, "PAID");
    }

    @PostMapping("/funds/{fundId}/payout-batches")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Pay a batch of small payouts (up to 100,000), each within the fund's"
            + " approval threshold; paid whole or refused whole")
    public PayoutBatchAnswer payBatch(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @RequestBody PayoutBatchRequest r) {
        if (r.category() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "category is required");
        }
        String batchId = txId(clientTx);
        // Checked before 100,000 lines are converted; the fund checks it again.
        PayPayoutBatch.requireLineCount(r.lines() == null ? 0 : r.lines().size());
        List<BatchPayoutLine> lines = new ArrayList<>(r.lines().size());
        long total = 0;
        for (int i = 0; i < r.lines().size(); i++) {
            PayoutBatchRequest.Line line = r.lines().get(i);
            String where = "line " + (i + 1) + ": ";
            if (line == null) {
                throw new RuleViolation(Rule.FIELD_REQUIRED, where + "a line is required");
            }
            try {
                Money amount = amount(line.amount(), r.currency());
                lines.add(new BatchPayoutLine(id(line.beneficiaryId(), "beneficiaryId"),
                        amount.amountMinor()));
                total = Math.addExact(total, amount.amountMinor());
            } catch (RuleViolation e) {
                throw new RuleViolation(e.rule(), where + e.getMessage());
            }
        }
        Object paid = commands.send(new PayPayoutBatch(fundId, batchId, r.category(),
                text(r.reason(), "reason"), r.currency(), valueDate(r.valueDate()), lines),
                clientTx);
        return new PayoutBatchAnswer(fundId, batchId, Integer.parseInt(String.valueOf(paid)),
                Money.ofMinor(total, r.currency()).toMajorString(), r.currency());
    }

    @PostMapping("/funds/{fundId}/reversals")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Reverse a recorded transaction, saying why")
    public TransactionRecorded reverse(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @RequestBody ReversalRequest r) {
        String txId = txId(clientTx);
        commands.send(new ReverseTransaction(fundId, txId, id(r.transactionId(),
                "transactionId"), text(r.reason(), "reason"), valueDate(r.valueDate())),
                clientTx);
        return new TransactionRecorded(fundId, txId);
    }

    @PostMapping("/funds/{fundId}/loan-policy")
    @Operation(summary = "Set the fund's penalty rate on overdue principal (a fraction a year)"
            + " and the order repayments pay penalty, interest and principal")
    public Created setLoanPolicy(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId,
            @RequestBody Requests.LoanPolicyRequest r) {
        commands.send(new SetLoanPolicy(fundId, r.penaltyAnnualRate(), r.allocationOrder()),
                clientTx);
        return new Created(fundId);
    }

    @PostMapping("/funds/{fundId}/loans")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Apply for a direct microloan (annualRate as a fraction: 0.06 for 6%)")
    public Requests.LoanAnswer applyForLoan(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId,
            @RequestBody Requests.LoanApplicationRequest r) {
        if (r.method() == null || r.termMonths() == null || r.annualRate() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED,
                    "annualRate, termMonths and method are required");
        }
        String loanId = txId(clientTx);
        commands.send(new ApplyForLoan(fundId, loanId, id(r.borrowerId(), "borrowerId"),
                amount(r.principal(), r.currency()), r.annualRate(), r.termMonths(), r.method(),
                optionalText(r.purpose(), "purpose"), valueDate(r.valueDate())), clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "APPLIED");
    }

    @PostMapping("/funds/{fundId}/loans/{loanId}/approve")
    @Operation(summary = "Approve a loan recorded by someone else (APPROVER)")
    public Requests.LoanAnswer approveLoan(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String loanId) {
        commands.send(new ApproveLoan(fundId, loanId), clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "APPROVED");
    }

    @PostMapping("/funds/{fundId}/loans/{loanId}/reject")
    @Operation(summary = "Reject a loan recorded by someone else (APPROVER)")
    public Requests.LoanAnswer rejectLoan(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String loanId,
            @RequestBody DecisionRequest r) {
        commands.send(new RejectLoan(fundId, loanId, text(r.reason(), "reason")), clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "REJECTED");
    }

    @PostMapping("/funds/{fundId}/loans/{loanId}/disburse")
    @Operation(summary = "Pay an approved loan out of fund cash; the schedule starts then")
    public Requests.LoanAnswer disburse(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String loanId,
            @RequestBody(required = false) Requests.DisbursementRequest r) {
        Requests.DisbursementRequest req = r == null ? new Requests.DisbursementRequest(null,
                null) : r;
        commands.send(new DisburseLoan(fundId, loanId, req.firstDueDate(),
                valueDate(req.valueDate())), clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "ACTIVE");
    }

    @PostMapping("/funds/{fundId}/loans/{loanId}/repayments")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a repayment: penalty, then interest due, then principal")
    public TransactionRecorded repay(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String loanId,
            @RequestBody Requests.RepaymentRequest r) {
        String txId = txId(clientTx);
        commands.send(new RecordRepayment(fundId, loanId, txId,
                amount(r.amount(), r.currency()), valueDate(r.valueDate())), clientTx);
        return new TransactionRecorded(fundId, txId);
    }

    @PostMapping("/funds/{fundId}/loans/{loanId}/reschedule")
    @Operation(summary = "Spread the outstanding principal over new monthly instalments")
    public Requests.LoanAnswer reschedule(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String loanId,
            @RequestBody Requests.RescheduleRequest r) {
        if (r.remainingMonths() == null || r.firstDueDate() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED,
                    "remainingMonths and firstDueDate are required");
        }
        commands.send(new RescheduleLoan(fundId, loanId, r.remainingMonths(), r.firstDueDate(),
                text(r.reason(), "reason"), valueDate(r.valueDate())), clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "ACTIVE");
    }

    @PostMapping("/funds/{fundId}/loans/{loanId}/write-off")
    @Operation(summary = "Write off what an outstanding loan owes, as a loss to its fund")
    public Requests.LoanAnswer writeOff(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String loanId,
            @RequestBody Requests.LoanDecisionRequest r) {
        commands.send(new WriteOffLoan(fundId, loanId, text(r.reason(), "reason"),
                valueDate(r.valueDate())), clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "WRITTEN_OFF");
    }

    @PostMapping("/funds/{fundId}/loans/{loanId}/convert-to-grant")
    @Operation(summary = "Settle what a loan owes by a grant paid from a hardship fund")
    public Requests.LoanAnswer convert(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String loanId,
            @RequestBody Requests.ConversionRequest r) {
        commands.send(new ConvertLoanToGrant(fundId, loanId, id(r.hardshipFundId(),
                "hardshipFundId"), text(r.reason(), "reason"), valueDate(r.valueDate())),
                clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "CONVERTED");
    }

    @PostMapping("/funds/{fundId}/subsidised-loans")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a partner's loan whose interest the fund subsidises from its"
            + " reserve at that partner (subsidyShare 1 = all interest)")
    public Requests.LoanAnswer registerSubsidised(@RequestHeader(value = CLIENT_TX,
            required = false) String clientTx, @PathVariable String fundId,
            @RequestBody Requests.SubsidisedLoanRequest r) {
        if (r.method() == null || r.termMonths() == null || r.annualRate() == null
                || r.firstDueDate() == null || r.subsidyShare() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "annualRate, termMonths, method,"
                    + " subsidyShare and firstDueDate are required");
        }
        String loanId = txId(clientTx);
        commands.send(new RegisterSubsidisedLoan(fundId, loanId, id(r.partnerId(), "partnerId"),
                id(r.borrowerId(), "borrowerId"), amount(r.principal(), r.currency()),
                r.annualRate(), r.termMonths(), r.method(), r.subsidyShare(),
                amount(r.subsidyCap(), r.currency()), r.firstDueDate(),
                valueDate(r.valueDate()), Boolean.TRUE.equals(r.payAutomatically())), clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "ACTIVE");
    }

    @PostMapping("/funds/{fundId}/subsidised-loans/{loanId}/subsidies")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Pay one period's interest subsidy from the reserve at the partner")
    public TransactionRecorded paySubsidy(@RequestHeader(value = CLIENT_TX, required = false)
            String clientTx, @PathVariable String fundId, @PathVariable String loanId,
            @RequestBody Requests.SubsidyPaymentRequest r) {
        if (r.period() == null) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, "period is required");
        }
        String txId = txId(clientTx);
        commands.send(new PayInterestSubsidy(fundId, loanId, txId, r.period(),
                valueDate(r.valueDate())), clientTx);
        return new TransactionRecorded(fundId, txId);
    }

    @PostMapping("/funds/{fundId}/subsidised-loans/{loanId}/end")
    @Operation(summary = "Record the partner's report of an early payoff or a default")
    public Requests.LoanAnswer endSubsidised(@RequestHeader(value = CLIENT_TX,
            required = false) String clientTx, @PathVariable String fundId,
            @PathVariable String loanId, @RequestBody Requests.PartnerLoanEndRequest r) {
        commands.send(new ReportPartnerLoanEnded(fundId, loanId, r.reason(), r.endedOn()),
                clientTx);
        return new Requests.LoanAnswer(fundId, loanId, "ENDED");
    }

    // ----- input checks shared by every write -----

    private static String txId(String clientTx) {
        return LedgerCommands.transactionIdFor(LedgerCommands.requireClientTransactionId(clientTx));
    }

    private static Money amount(BigDecimal amount, String currency) {
        return Money.parse(amount, currency).requireTransactionAmount();
    }

    /** The value date given, or today; a transaction cannot have happened in the future. */
    private LocalDate valueDate(LocalDate given) {
        LocalDate today = LocalDate.now(clock);
        if (given != null && given.isAfter(today)) {
            throw new RuleViolation(Rule.VALUE_DATE_IN_FUTURE,
                    "value date " + given + " is after today (" + today + ")");
        }
        return given != null ? given : today;
    }

    static String id(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, field + " is required");
        }
        return optionalId(value, field);
    }

    static String optionalId(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!Ids.wellFormed(value)) {
            throw new RuleViolation(Rule.FIELD_INVALID, field + " " + Ids.RULE_TEXT);
        }
        return value;
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new RuleViolation(Rule.FIELD_REQUIRED, field + " is required");
        }
        return optionalText(value, field);
    }

    static String optionalText(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > TEXT_LENGTH_MAX) {
            throw new RuleViolation(Rule.FIELD_INVALID,
                    field + " is longer than " + TEXT_LENGTH_MAX + " characters");
        }
        // PostgreSQL text cannot hold NUL; an event carrying one could never be projected.
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new RuleViolation(Rule.FIELD_INVALID,
                    field + " must not contain control characters");
        }
        return value.strip();
    }
}
