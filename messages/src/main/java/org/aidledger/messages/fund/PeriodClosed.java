package org.aidledger.messages.fund;

import java.time.LocalDate;
import java.time.YearMonth;
import org.axonframework.serialization.Revision;

/** A fund's periods up to and including a month were closed; closedThrough is its last day. */
@Revision("1")
public record PeriodClosed(String fundId,
        YearMonth period,
        LocalDate closedThrough) {
}
