package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a donation into a fund. */
public record RecordDonation(@TargetAggregateIdentifier String fundId,
        String transactionId,
        Money amount,
        DonorType donorType,
        String donorRef,
        String campaign,
        String restrictedPurpose,
        LocalDate valueDate) {
}
