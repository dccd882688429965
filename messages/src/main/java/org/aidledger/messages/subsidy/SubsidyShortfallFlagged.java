package org.aidledger.messages.subsidy;

import java.time.LocalDate;
import org.axonframework.serialization.Revision;

/**
 * A period's subsidy fell due and the reserve at the partner could not cover it: nothing was
 * paid, and the administrators are told how much was missing.
 */
@Revision("1")
public record SubsidyShortfallFlagged(String fundId,
        String loanId,
        String partnerId,
        int period,
        long dueMinor,
        long reserveMinor,
        LocalDate dueDate) {
}
