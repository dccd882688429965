package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/** A loan was repaid in full and closed. */
@Revision("1")
public record LoanClosed(String fundId,
        String loanId,
        LocalDate valueDate) {
}
