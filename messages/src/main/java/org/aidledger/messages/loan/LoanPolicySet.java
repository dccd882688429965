package org.aidledger.messages.loan;

import java.math.BigDecimal;
import org.axonframework.serialization.Revision;

/** A fund's loan policy changed; it applies to repayments recorded from now on. */
@Revision("1")
public record LoanPolicySet(String fundId,
        BigDecimal penaltyAnnualRate,
        AllocationOrder allocationOrder) {
}
