package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A recorded transaction was reversed; partnerId is set for reserve movements. */
@Revision("1")
public record TransactionReversed(String fundId,
        String transactionId,
        String reversedTransactionId,
        TransactionKind reversedKind,
        Money amount,
        String partnerId,
        String reason,
        LocalDate valueDate) {
}
