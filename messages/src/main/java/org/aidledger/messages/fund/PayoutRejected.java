package org.aidledger.messages.fund;

import org.axonframework.serialization.Revision;

/** A payout was rejected. */
@Revision("1")
public record PayoutRejected(String fundId,
        String payoutId,
        String rejectedBy,
        String reason) {
}
