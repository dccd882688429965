package org.aidledger.messages.loan;

import java.time.LocalDate;

/** One instalment of a loan's schedule as recorded in its events, in minor units. */
public record ScheduledInstalment(int number, LocalDate dueDate, long principalMinor,
        long interestMinor) {
}
