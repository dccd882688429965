package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** The outstanding principal of a loan was charged to its fund as a loss. */
@Revision("1")
public record LoanWrittenOff(String fundId,
        String loanId,
        Money principalWrittenOff,
        String reason,
        LocalDate valueDate) {
}
