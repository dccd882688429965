package org.aidledger.command.support;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When a loan instalment is checked for being overdue: at the start of the day a number of grace
 * days after its due date, in the fund's time zone. Turning a date into an instant is the only
 * thing it does; it never reads the clock, so aggregates may use it.
 */
@Component
public class OverdueCalendar {

    /** The name of the deadline that checks an instalment. */
    public static final String DEADLINE = "instalment-due";

    private final ZoneId zone;
    private final int graceDays;

    public OverdueCalendar(@Value("${ledger.loans.zone:Asia/Shanghai}") String zone,
            @Value("${ledger.loans.overdue-grace-days:1}") int graceDays) {
        this.zone = ZoneId.of(zone);
        this.graceDays = graceDays;
    }

    public Instant checkAt(LocalDate dueDate) {
        return dueDate.plusDays(graceDays).atStartOfDay(zone).toInstant();
    }
}
