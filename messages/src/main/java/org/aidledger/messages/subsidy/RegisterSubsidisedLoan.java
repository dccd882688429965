package org.aidledger.messages.subsidy;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.aidledger.messages.loan.LoanMethod;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers a loan a partner serves, whose interest the fund subsidises from its reserve there; subsidyShare is a fraction (1 = all interest), subsidyCap the most paid for this loan; with payAutomatically each period is paid when it falls due. */
public record RegisterSubsidisedLoan(@TargetAggregateIdentifier String fundId,
        String loanId,
        String partnerId,
        String borrowerId,
        Money principal,
        BigDecimal annualRate,
        int termMonths,
        LoanMethod method,
        BigDecimal subsidyShare,
        Money subsidyCap,
        LocalDate firstDueDate,
        LocalDate valueDate,
        boolean payAutomatically) {
}
