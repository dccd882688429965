package org.aidledger.messages.loan;

import org.axonframework.serialization.Revision;

/** A loan was approved. */
@Revision("1")
public record LoanApproved(String fundId,
        String loanId,
        String approvedBy) {
}
