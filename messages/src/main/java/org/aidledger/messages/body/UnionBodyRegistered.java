package org.aidledger.messages.body;

import org.axonframework.serialization.Revision;

/** A union body joined the tree. */
@Revision("1")
public record UnionBodyRegistered(String bodyId,
        String name,
        UnionLevel level,
        String parentId) {
}
