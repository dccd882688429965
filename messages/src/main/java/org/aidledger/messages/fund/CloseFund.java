package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Closes an empty fund with no open payouts. */
public record CloseFund(@TargetAggregateIdentifier String fundId,
        String reason,
        LocalDate valueDate) {
}
