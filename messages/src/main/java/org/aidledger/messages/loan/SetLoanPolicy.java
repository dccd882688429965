package org.aidledger.messages.loan;

import java.math.BigDecimal;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sets how a fund's loans treat arrears: the penalty rate a year on overdue principal (a fraction,
 * 0 for none) and the order in which repayments pay penalty, interest and principal.
 */
public record SetLoanPolicy(@TargetAggregateIdentifier String fundId,
        BigDecimal penaltyAnnualRate,
        AllocationOrder allocationOrder) {
}
