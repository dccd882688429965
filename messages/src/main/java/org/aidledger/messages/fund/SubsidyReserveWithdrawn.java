package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** Money was withdrawn from the reserve at a partner back into fund cash. */
@Revision("1")
public record SubsidyReserveWithdrawn(String fundId,
        String transactionId,
        String partnerId,
        Money amount,
        LocalDate valueDate) {
}
