package org.aidledger.messages.subsidy;

import java.time.LocalDate;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The partner reports a subsidised loan paid off early or defaulted; subsidy stops from that date. */
public record ReportPartnerLoanEnded(@TargetAggregateIdentifier String fundId,
        String loanId,
        PartnerLoanEnd reason,
        LocalDate endedOn) {
}
