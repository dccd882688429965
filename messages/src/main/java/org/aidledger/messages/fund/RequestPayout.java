package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Requests a hardship payout to a beneficiary on file. */
public record RequestPayout(@TargetAggregateIdentifier String fundId,
        String payoutId,
        String beneficiaryId,
        PayoutCategory category,
        Money amount,
        String reason,
        LocalDate valueDate) {
}
