package org.aidledger.messages.subsidy;

import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/** A subsidised loan ended early; no subsidy is due for periods after endedOn. */
@Revision("1")
public record PartnerLoanEnded(String fundId,
        String loanId,
        PartnerLoanEnd reason,
        LocalDate endedOn) {
}
