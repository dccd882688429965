package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Opens a fund owned by a union body, in one currency, with an approval threshold for payouts. */
public record OpenFund(@TargetAggregateIdentifier String fundId,
        String bodyId,
        String name,
        FundPurpose purpose,
        String currency,
        Money approvalThreshold,
        LocalDate valueDate) {
}
