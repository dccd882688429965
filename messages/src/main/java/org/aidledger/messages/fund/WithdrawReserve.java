package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves money from the reserve at a partner back into fund cash. */
public record WithdrawReserve(@TargetAggregateIdentifier String fundId,
        String transactionId,
        String partnerId,
        Money amount,
        LocalDate valueDate) {
}
