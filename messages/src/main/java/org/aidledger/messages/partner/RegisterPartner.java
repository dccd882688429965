package org.aidledger.messages.partner;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers a partner credit union at which reserves can be deposited. */
public record RegisterPartner(@TargetAggregateIdentifier String partnerId,
        String name) {
}
