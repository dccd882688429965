package org.aidledger.messages.loan;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Applies for a direct microloan from a fund; annualRate is a fraction (0.06 = 6%). */
public record ApplyForLoan(@TargetAggregateIdentifier String fundId,
        String loanId,
        String borrowerId,
        Money principal,
        BigDecimal annualRate,
        int termMonths,
        LoanMethod method,
        String purpose,
        LocalDate valueDate) {
}
