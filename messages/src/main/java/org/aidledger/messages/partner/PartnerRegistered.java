package org.aidledger.messages.partner;

import org.axonframework.serialization.Revision;

/** A partner credit union was registered. */
@Revision("1")
public record PartnerRegistered(String partnerId,
        String name) {
}
