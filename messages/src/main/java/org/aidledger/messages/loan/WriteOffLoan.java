package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Writes off what a loan still owes as a loss to its fund; the loan stays on record. */
public record WriteOffLoan(@TargetAggregateIdentifier String fundId,
        String loanId,
        String reason,
        LocalDate valueDate) {
}
