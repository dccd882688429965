package org.aidledger.messages.loan;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Approves a loan application; the approver must not be the applicant's recorder. */
public record ApproveLoan(@TargetAggregateIdentifier String fundId,
        String loanId) {
}
