package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records an allocation from a higher body or a government subsidy into a fund. */
public record RecordAllocation(@TargetAggregateIdentifier String fundId,
        String transactionId,
        Money amount,
        AllocationKind kind,
        String source,
        LocalDate valueDate) {
}
