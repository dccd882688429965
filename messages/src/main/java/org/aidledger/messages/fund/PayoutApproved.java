package org.aidledger.messages.fund;

import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A payout was approved and its amount committed; automatic when at or below the threshold. */
@Revision("1")
public record PayoutApproved(String fundId,
        String payoutId,
        Money amount,
        String approvedBy,
        boolean automatic) {
}
