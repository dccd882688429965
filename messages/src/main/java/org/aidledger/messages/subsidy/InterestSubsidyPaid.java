package org.aidledger.messages.subsidy;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** The subsidy for one period was paid from the reserve at the partner. */
@Revision("1")
public record InterestSubsidyPaid(String fundId,
        String loanId,
        String partnerId,
        String transactionId,
        int period,
        Money amount,
        LocalDate valueDate) {
}
