package org.aidledger.messages.fund;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Approves a payout awaiting approval; the approver must not be the requester. */
public record ApprovePayout(@TargetAggregateIdentifier String fundId,
        String payoutId) {
}
