package org.aidledger.messages.loan;

import org.axonframework.serialization.Revision;

/** A loan application was rejected. */
@Revision("1")
public record LoanRejected(String fundId,
        String loanId,
        String rejectedBy,
        String reason) {
}
