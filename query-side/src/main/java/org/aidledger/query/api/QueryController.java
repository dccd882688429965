package org.aidledger.query.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aidledger.messages.money.Money;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.aidledger.query.journal.Posting;
import org.aidledger.query.loan.Arrears;
import org.aidledger.query.loan.ArrearsReports;
import org.aidledger.query.read.LedgerReads;
import org.aidledger.query.read.LedgerReads.FundBalances;
import org.aidledger.query.read.LedgerReads.FundView;
import org.aidledger.query.read.LedgerReads.JournalEntry;
import org.aidledger.query.read.LedgerReads.PayoutView;
import org.aidledger.query.read.LedgerReads.TrialBalance;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reads for administrators, approvers and auditors. Amounts are strings in major units with the
 * currency's decimals ("1000.50"), so no client ever parses money into a float.
 */
@RestController
@RequestMapping(path = "/api/v1",
        produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "queries", description = "Balances, trial balance, journal and payouts")
public class QueryController {

    private final LedgerReads reads;
    private final ArrearsReports arrears;

    public QueryController(LedgerReads reads, ArrearsReports arrears) {
        this.reads = reads;
        this.arrears = arrears;
    }

    public record BalancesResponse(String fundId, String currency, LocalDate asOfDate,
            Long asOfPosition, String cash, String committed, String available,
            String loansReceivable, Map<String, String> reserves,
            Map<String, String> income, Map<String, String> expense, long position) {
    }

    public record TrialBalanceLine(String account, String balance) {
    }

    public record TrialBalanceResponse(String fundId, String currency,
            List<TrialBalanceLine> lines, String totalDebits, String totalCredits) {
    }

    public record JournalLineResponse(String account, String amount) {
    }

    public record JournalEntryResponse(long position, String eventId, String transactionId,
            String kind, LocalDate valueDate, String recordedAt, String reversesTransactionId,
            String actor, String description, List<JournalLineResponse> lines) {
    }

    public record JournalPage(List<JournalEntryResponse> entries, Long nextAfter) {
    }

    public record PayoutResponse(String payoutId, String beneficiaryId, String category,
            String amount, String currency, String status, String requestedBy,
            String approvedBy, String reason, LocalDate requestedOn, LocalDate paidOn) {
    }

    @GetMapping("/union-bodies")
    @Operation(summary = "List union bodies")
    public List<LedgerReads.UnionBodyView> unionBodies() {
        return reads.unionBodies();
    }

    @GetMapping("/partners")
    @Operation(summary = "List partner credit unions")
    public List<LedgerReads.PartnerView> partners() {
        return reads.partners();
    }

    @GetMapping("/funds")
    @Operation(summary = "List funds")
    public List<FundView> funds() {
        return reads.funds();
    }

    @GetMapping("/funds/{fundId}")
    @Operation(summary = "One fund's description")
    public FundView fund(@PathVariable String fundId) {
        return reads.requireFund(fundId);
    }

    @GetMapping("/funds/{fundId}/balances")
    @Operation(summary = "Balances now, as of the end of a value date (asOf=2026-11-24), or as"
            + " of an event position (asOfPosition=1234, every entry up to that global index)")
    public BalancesResponse balances(@PathVariable String fundId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
            LocalDate asOf, @RequestParam(required = false) Long asOfPosition) {
        if (asOfPosition != null && asOfPosition < 0) {
            throw new RuleViolation(Rule.FIELD_INVALID, "asOfPosition must not be negative");
        }
        FundBalances b = reads.balances(fundId, asOf, asOfPosition);
        String c = b.currency();
        return new BalancesResponse(b.fundId(), c, b.asOfDate(), b.asOfPosition(),
                fmt(b.cashMinor(), c),
                b.committedMinor() == null ? null : fmt(b.committedMinor(), c),
                b.availableMinor() == null ? null : fmt(b.availableMinor(), c),
                fmt(b.loansReceivableMinor(), c),
                fmt(b.reservesMinor(), c), fmt(b.incomeMinor(), c), fmt(b.expenseMinor(), c),
                b.position());
    }

    @GetMapping("/funds/{fundId}/trial-balance")
    @Operation(summary = "Trial balance: every account's balance; debits equal credits")
    public TrialBalanceResponse trialBalance(@PathVariable String fundId) {
        TrialBalance t = reads.trialBalance(fundId);
        String c = t.currency();
        return new TrialBalanceResponse(t.fundId(), c, t.lines().stream()
                .map(p -> new TrialBalanceLine(p.account(), fmt(p.amountMinor(), c))).toList(),
                fmt(t.totalDebitsMinor(), c), fmt(t.totalCreditsMinor(), c));
    }

    @GetMapping("/funds/{fundId}/journal")
    @Operation(summary = "Journal entries after a position, oldest first; corrections=false"
            + " hides reversals and the entries they reverse")
    public JournalPage journal(@PathVariable String fundId,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "" + LedgerReads.PAGE_SIZE_DEFAULT) int pageSize,
            @RequestParam(defaultValue = "true") boolean corrections) {
        List<JournalEntry> entries = reads.journal(fundId, after, pageSize, corrections);
        List<JournalEntryResponse> out = entries.stream().map(e -> new JournalEntryResponse(
                e.position(), e.eventId(), e.transactionId(), e.kind(), e.valueDate(),
                e.recordedAt().toString(), e.reversesTransactionId(), e.actor(),
                e.description(), lines(e.lines(), e.currency()))).toList();
        Long next = entries.size() == pageSize ? entries.get(entries.size() - 1).position()
                : null;
        return new JournalPage(out, next);
    }

    public record StatementResponse(String fundId, String period, LocalDate closedThrough,
            String closedAt, String closedBy, long position, String currency,
            List<TrialBalanceLine> closingBalances) {
    }

    @GetMapping("/funds/{fundId}/statements")
    @Operation(summary = "The statements of the fund's closed periods, with frozen closing"
            + " balances")
    public List<StatementResponse> statements(@PathVariable String fundId) {
        return reads.statements(fundId).stream().map(s -> new StatementResponse(s.fundId(),
                s.period(), s.closedThrough(), s.closedAt().toString(), s.closedBy(),
                s.position(), s.currency(), s.closingBalances().stream()
                .map(p -> new TrialBalanceLine(p.account(), fmt(p.amountMinor(), s.currency())))
                .toList())).toList();
    }

    public record InstalmentResponse(int number, int version, LocalDate dueDate,
            String principal, String interest, String payment, String principalPaid,
            String interestPaid) {
    }

    public record LoanResponse(String loanId, String borrowerId, String principal,
            String currency, String annualRate, int termMonths, String method, String purpose,
            String status, String appliedBy, String decidedBy, LocalDate appliedOn,
            LocalDate disbursedOn, LocalDate closedOn, String outstandingPrincipal,
            int scheduleVersion, List<InstalmentResponse> schedule) {
    }

    @GetMapping("/funds/{fundId}/loans")
    @Operation(summary = "The fund's microloans")
    public List<LoanResponse> loans(@PathVariable String fundId) {
        return reads.loans(fundId).stream().map(QueryController::loan).toList();
    }

    @GetMapping("/funds/{fundId}/loans/{loanId}")
    @Operation(summary = "One loan with its current schedule and what has been paid")
    public LoanResponse loan(@PathVariable String fundId, @PathVariable String loanId) {
        return loan(reads.loan(fundId, loanId));
    }

    private static LoanResponse loan(LedgerReads.LoanView l) {
        String c = l.currency();
        return new LoanResponse(l.loanId(), l.borrowerId(), fmt(l.principalMinor(), c), c,
                l.annualRate().toPlainString(), l.termMonths(), l.method(), l.purpose(),
                l.status(), l.appliedBy(), l.decidedBy(), l.appliedOn(), l.disbursedOn(),
                l.closedOn(), fmt(l.outstandingPrincipalMinor(), c), l.scheduleVersion(),
                l.schedule().stream().map(i -> new InstalmentResponse(i.number(), i.version(),
                        i.dueDate(), fmt(i.principalMinor(), c), fmt(i.interestMinor(), c),
                        fmt(i.principalMinor() + i.interestMinor(), c),
                        fmt(i.principalPaidMinor(), c), fmt(i.interestPaidMinor(), c)))
                        .toList());
    }

    public record BucketResponse(String bucket, int loans, String outstandingPrincipal,
            String arrears) {
    }

    public record ArrearsResponse(String currency, LocalDate asOf, int loans,
            String outstandingPrincipal, String arrears, List<BucketResponse> buckets,
            String atRisk30Principal, String par30) {
    }

    @GetMapping("/funds/{fundId}/arrears")
    @Operation(summary = "Arrears aging (1-30, 31-60, 61-90, over 90 days) and PAR30 of the"
            + " fund's loans as of a date")
    public List<ArrearsResponse> fundArrears(@PathVariable String fundId,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate asOf) {
        return arrears.forFund(fundId, asOf).stream().map(QueryController::arrears).toList();
    }

    @GetMapping("/union-bodies/{bodyId}/arrears")
    @Operation(summary = "Arrears aging and PAR30 of the loans of a union body and every body"
            + " below it, as of a date")
    public List<ArrearsResponse> bodyArrears(@PathVariable String bodyId,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate asOf) {
        return arrears.forBody(bodyId, asOf).stream().map(QueryController::arrears).toList();
    }

    private static ArrearsResponse arrears(ArrearsReports.CurrencyReport r) {
        String c = r.currency();
        Arrears.Report a = r.report();
        return new ArrearsResponse(c, a.asOf(), a.loans(), fmt(a.outstandingPrincipalMinor(), c),
                fmt(a.arrearsMinor(), c), a.buckets().stream().map(b -> new BucketResponse(
                        b.bucket(), b.loans(), fmt(b.outstandingPrincipalMinor(), c),
                        fmt(b.arrearsMinor(), c))).toList(),
                fmt(a.atRisk30PrincipalMinor(), c), a.par30().toPlainString());
    }

    @GetMapping("/funds/{fundId}/payouts")
    @Operation(summary = "The fund's payouts, optionally of one status")
    public List<PayoutResponse> payouts(@PathVariable String fundId,
            @RequestParam(required = false) String status) {
        List<PayoutView> payouts = reads.payouts(fundId, status);
        return payouts.stream().map(p -> new PayoutResponse(p.payoutId(), p.beneficiaryId(),
                p.category(), fmt(p.amountMinor(), p.currency()), p.currency(), p.status(),
                p.requestedBy(), p.approvedBy(), p.reason(), p.requestedOn(), p.paidOn()))
                .toList();
    }

    private static List<JournalLineResponse> lines(List<Posting> lines, String currency) {
        return lines.stream()
                .map(p -> new JournalLineResponse(p.account(), fmt(p.amountMinor(), currency)))
                .toList();
    }

    private static String fmt(long minor, String currency) {
        return Money.toMajorString(minor, currency);
    }

    private static Map<String, String> fmt(Map<String, Long> amounts, String currency) {
        Map<String, String> out = new LinkedHashMap<>();
        amounts.forEach((k, v) -> out.put(k, fmt(v, currency)));
        return out;
    }
}
