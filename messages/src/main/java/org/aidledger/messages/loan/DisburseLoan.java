package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Pays an approved loan out of fund cash; instalments fall due monthly from firstDueDate. */
public record DisburseLoan(@TargetAggregateIdentifier String fundId,
        String loanId,
        LocalDate firstDueDate,
        LocalDate valueDate) {
}
