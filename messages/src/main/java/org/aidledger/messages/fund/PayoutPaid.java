package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** An approved payout was paid out of fund cash. */
@Revision("1")
public record PayoutPaid(String fundId,
        String payoutId,
        PayoutCategory category,
        Money amount,
        LocalDate valueDate) {
}
