package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A fund was opened. */
@Revision("1")
public record FundOpened(String fundId,
        String bodyId,
        String name,
        FundPurpose purpose,
        String currency,
        Money approvalThreshold,
        LocalDate valueDate) {
}
