package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A donation came into a fund. donorRef is a reference, never a person's name. */
@Revision("1")
public record DonationReceived(String fundId,
        String transactionId,
        Money amount,
        DonorType donorType,
        String donorRef,
        String campaign,
        String restrictedPurpose,
        LocalDate valueDate) {
}
