package org.aidledger.messages.loan;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A microloan was applied for; borrowerId is a reference, never a name. */
@Revision("1")
public record LoanApplied(String fundId,
        String loanId,
        String borrowerId,
        Money principal,
        BigDecimal annualRate,
        int termMonths,
        LoanMethod method,
        String purpose,
        String appliedBy,
        LocalDate valueDate) {
}
