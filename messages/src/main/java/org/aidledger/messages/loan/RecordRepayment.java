package org.aidledger.messages.loan;

import java.time.LocalDate;
import org.aidledger.messages.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records money received from a borrower. */
public record RecordRepayment(@TargetAggregateIdentifier String fundId,
        String loanId,
        String transactionId,
        Money amount,
        LocalDate valueDate) {
}
