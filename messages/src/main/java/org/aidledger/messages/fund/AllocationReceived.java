package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** An allocation or subsidy came into a fund. */
@Revision("1")
public record AllocationReceived(String fundId,
        String transactionId,
        Money amount,
        AllocationKind kind,
        String source,
        LocalDate valueDate) {
}
