package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves fund cash into the subsidy reserve held at a partner credit union. */
public record DepositReserve(@TargetAggregateIdentifier String fundId,
        String transactionId,
        String partnerId,
        Money amount,
        LocalDate valueDate) {
}
