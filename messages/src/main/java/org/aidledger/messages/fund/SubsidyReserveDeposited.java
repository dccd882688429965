package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** Fund cash was deposited as a subsidy reserve at a partner. */
@Revision("1")
public record SubsidyReserveDeposited(String fundId,
        String transactionId,
        String partnerId,
        Money amount,
        LocalDate valueDate) {
}
