package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/**
 * An instalment was found unpaid after its due date; valueDate is the first day it was overdue,
 * taken from the due date, never from the clock.
 */
@Revision("1")
public record LoanOverdue(String fundId,
        String loanId,
        int number,
        LocalDate dueDate,
        long unpaidMinor,
        LocalDate valueDate) {
}
