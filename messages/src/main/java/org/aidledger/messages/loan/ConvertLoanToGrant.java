package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Converts what a loan still owes into a hardship grant paid by a hardship fund. */
public record ConvertLoanToGrant(@TargetAggregateIdentifier String fundId,
        String loanId,
        String hardshipFundId,
        String reason,
        LocalDate valueDate) {
}
