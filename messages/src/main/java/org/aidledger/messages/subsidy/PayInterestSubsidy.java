package org.aidledger.messages.subsidy;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Pays the subsidy due for one period of a subsidised loan out of the reserve at its partner. */
public record PayInterestSubsidy(@TargetAggregateIdentifier String fundId,
        String loanId,
        String transactionId,
        int period,
        LocalDate valueDate) {
}
