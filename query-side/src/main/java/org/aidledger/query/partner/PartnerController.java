package org.aidledger.query.partner;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.money.Money;
import org.aidledger.query.read.LedgerReads;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The same partner reads over REST, for administrators and auditors. */
@RestController
@RequestMapping(path = "/api/v1/partners/{partnerId}",
        produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "partners", description = "Subsidised loans, reserves and subsidies by partner")
public class PartnerController {

    private final PartnerReads reads;

    public PartnerController(PartnerReads reads) {
        this.reads = reads;
    }

    public record LoanResponse(String loanId, String fundId, String borrowerId, String principal,
            String currency, String annualRate, int termMonths, String method,
            String subsidyShare, String subsidyCap, String subsidyPaid, String status,
            String endReason, LocalDate endedOn, List<PeriodResponse> schedule) {
    }

    public record PeriodResponse(int number, LocalDate dueDate, String principal,
            String interest, String subsidyPaid) {
    }

    public record ReserveResponse(String fundId, String balance, String currency) {
    }

    @GetMapping("/subsidised-loans")
    @Operation(summary = "The subsidised loans a partner serves")
    public List<LoanResponse> loans(@PathVariable String partnerId) {
        return reads.loans(partnerId, null, LedgerReads.PAGE_SIZE_MAX).stream()
                .map(l -> response(l, List.of())).toList();
    }

    @GetMapping("/subsidised-loans/{loanId}")
    @Operation(summary = "One subsidised loan with its schedule and the subsidy paid per period")
    public LoanResponse loan(@PathVariable String partnerId, @PathVariable String loanId) {
        PartnerReads.Loan l = reads.loan(partnerId, loanId);
        return response(l, reads.schedule(loanId).stream().map(p -> new PeriodResponse(
                p.number(), p.dueDate(), fmt(p.principalMinor(), l.currency()),
                fmt(p.interestMinor(), l.currency()), fmt(p.subsidyPaidMinor(), l.currency())))
                .toList());
    }

    @GetMapping("/reserve")
    @Operation(summary = "The union's reserve held at the partner, per fund")
    public List<ReserveResponse> reserve(@PathVariable String partnerId) {
        return reads.reserves(partnerId).stream().map(r -> new ReserveResponse(r.fundId(),
                fmt(r.balanceMinor(), r.currency()), r.currency())).toList();
    }

    public record ShortfallResponse(String loanId, int period, String fundId, String due,
            String reserve, LocalDate dueDate) {
    }

    @GetMapping("/subsidy-shortfalls")
    @Operation(summary = "Periods whose subsidy the reserve at the partner could not cover")
    public List<ShortfallResponse> shortfalls(@PathVariable String partnerId) {
        return reads.shortfalls(partnerId).stream().map(s -> new ShortfallResponse(s.loanId(),
                s.period(), s.fundId(), fmt(s.dueMinor(), s.currency()),
                fmt(s.reserveMinor(), s.currency()), s.dueDate())).toList();
    }

    private static LoanResponse response(PartnerReads.Loan l, List<PeriodResponse> schedule) {
        String c = l.currency();
        return new LoanResponse(l.loanId(), l.fundId(), l.borrowerId(),
                fmt(l.principalMinor(), c), c, l.annualRate().toPlainString(), l.termMonths(),
                l.method(), l.subsidyShare().toPlainString(), fmt(l.subsidyCapMinor(), c),
                fmt(l.subsidyPaidMinor(), c), l.status(), l.endReason(), l.endedOn(), schedule);
    }

    private static String fmt(long minor, String currency) {
        return Money.toMajorString(minor, currency);
    }
}
