package org.aidledger.messages.fund;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Rejects a payout awaiting approval. */
public record RejectPayout(@TargetAggregateIdentifier String fundId,
        String payoutId,
        String reason) {
}
