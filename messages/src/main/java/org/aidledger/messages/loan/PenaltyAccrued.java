package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/**
 * Penalty interest accrued on a loan's overdue principal up to a date, at the fund's rate. A memo
 * on the loan: it becomes income only when paid.
 */
@Revision("1")
public record PenaltyAccrued(String fundId,
        String loanId,
        long amountMinor,
        LocalDate through) {
}
