package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Pays an approved payout out of fund cash. */
public record PayPayout(@TargetAggregateIdentifier String fundId,
        String payoutId,
        LocalDate valueDate) {
}
