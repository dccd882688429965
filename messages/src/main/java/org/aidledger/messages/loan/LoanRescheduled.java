package org.aidledger.messages.loan;

import java.time.LocalDate;
import java.util.List;
import org.axonframework.serialization.Revision;

/** The loan's remaining instalments were recomputed as a new schedule version. */
@Revision("1")
public record LoanRescheduled(String fundId,
        String loanId,
        int version,
        String reason,
        List<ScheduledInstalment> remaining,
        LocalDate valueDate) {
}
