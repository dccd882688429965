package org.aidledger.messages.loan;

import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A loan was paid out, with its repayment schedule (version 1). */
@Revision("1")
public record LoanDisbursed(String fundId,
        String loanId,
        Money principal,
        List<ScheduledInstalment> schedule,
        LocalDate valueDate) {
}
