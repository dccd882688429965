package org.aidledger.command.loan.schedule;

import java.time.LocalDate;

/** One month of a schedule, in minor units; payment = principal + interest. */
public record Instalment(int number, LocalDate dueDate, long principalMinor, long interestMinor,
        long paymentMinor, long remainingPrincipalMinor) {
}
