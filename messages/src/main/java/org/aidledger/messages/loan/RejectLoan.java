package org.aidledger.messages.loan;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Rejects a loan application. */
public record RejectLoan(@TargetAggregateIdentifier String fundId,
        String loanId,
        String reason) {
}
