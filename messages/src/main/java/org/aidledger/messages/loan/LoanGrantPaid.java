package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A hardship fund paid a grant that settled a microloan of another fund. */
@Revision("1")
public record LoanGrantPaid(String fundId,
        String loanId,
        String loanFundId,
        Money amount,
        String reason,
        LocalDate valueDate) {
}
