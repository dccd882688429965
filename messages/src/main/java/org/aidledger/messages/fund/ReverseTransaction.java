package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Reverses a recorded transaction by a new one that names it and says why. */
public record ReverseTransaction(@TargetAggregateIdentifier String fundId,
        String transactionId,
        String reversedTransactionId,
        String reason,
        LocalDate valueDate) {
}
