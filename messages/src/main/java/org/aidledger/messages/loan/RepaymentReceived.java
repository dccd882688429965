package org.aidledger.messages.loan;

import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A repayment was received and allocated penalty, then interest, then principal. */
@Revision("1")
public record RepaymentReceived(String fundId,
        String loanId,
        String transactionId,
        Money amount,
        long penaltyMinor,
        long interestMinor,
        long principalMinor,
        List<InstalmentPayment> allocation,
        long outstandingPrincipalMinor,
        LocalDate valueDate) {
}
