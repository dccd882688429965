package org.aidledger.messages.loan;

import java.time.LocalDate;

/** The payload of a loan's due-date deadline: which instalment to check. */
public record InstalmentDue(String loanId, int number, LocalDate dueDate) {
}
