package org.aidledger.messages.body;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Registers a union body in the tree; the parent must exist and sit above it. */
public record RegisterUnionBody(@TargetAggregateIdentifier String bodyId,
        String name,
        UnionLevel level,
        String parentId) {
}
