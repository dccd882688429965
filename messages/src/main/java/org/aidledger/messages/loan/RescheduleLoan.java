package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Spreads what an outstanding loan still owes in principal over a new number of monthly
 * instalments, the first falling due on firstDueDate; earlier instalments and their payments
 * stay as they are.
 */
public record RescheduleLoan(@TargetAggregateIdentifier String fundId,
        String loanId,
        int remainingMonths,
        LocalDate firstDueDate,
        String reason,
        LocalDate valueDate) {
}
