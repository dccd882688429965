package org.aidledger.messages.fund;

import java.time.YearMonth;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Closes a fund's accounting periods up to and including a month. Nothing can be recorded with a
 * value date in a closed period afterwards; corrections post in the open period.
 */
public record ClosePeriod(@TargetAggregateIdentifier String fundId,
        YearMonth period) {
}
