package org.aidledger.messages.fund;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A hardship payout was requested; approvalRequired when above the fund's threshold. */
@Revision("1")
public record PayoutRequested(String fundId,
        String payoutId,
        String beneficiaryId,
        PayoutCategory category,
        Money amount,
        String reason,
        String requestedBy,
        boolean approvalRequired,
        LocalDate valueDate) {
}
