package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A hardship fund paid off a loan's outstanding principal as a grant. */
@Revision("1")
public record LoanConvertedToGrant(String fundId,
        String loanId,
        String hardshipFundId,
        Money principalSettled,
        String reason,
        LocalDate valueDate) {
}
