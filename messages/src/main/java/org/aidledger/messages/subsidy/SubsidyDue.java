package org.aidledger.messages.subsidy;

import java.time.LocalDate;

/** The payload of a subsidised loan's period deadline: which period falls due. */
public record SubsidyDue(String loanId, int period, LocalDate dueDate) {
}
