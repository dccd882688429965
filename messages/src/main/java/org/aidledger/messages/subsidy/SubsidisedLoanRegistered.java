package org.aidledger.messages.subsidy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.loan.LoanMethod;
import org.aidledger.messages.loan.ScheduledInstalment;
import org.aidledger.messages.money.Money;
import org.axonframework.serialization.Revision;

/** A partner's loan was registered for an interest subsidy, with the partner's schedule. */
@Revision("1")
public record SubsidisedLoanRegistered(String fundId,
        String loanId,
        String partnerId,
        String borrowerId,
        Money principal,
        BigDecimal annualRate,
        int termMonths,
        LoanMethod method,
        BigDecimal subsidyShare,
        Money subsidyCap,
        List<ScheduledInstalment> schedule,
        LocalDate valueDate) {
}
