package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** Money came in on a written-off loan: a recovery, income of the fund. */
@Revision("1")
public record WrittenOffRecoveryReceived(String fundId,
        String loanId,
        String transactionId,
        Money amount,
        LocalDate valueDate) {
}
