package org.aidledger.command.loan.schedule;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What a schedule is computed from. annualRate is a fraction (0.06 for 6% a year); due dates
 * fall monthly on the first due date's day of month, or the month's last day when it is shorter.
 */
public record ScheduleRequest(long principalMinor, String currency, BigDecimal annualRate,
        int termMonths, RepaymentMethod method, LocalDate firstDueDate) {

    /** Longest term a schedule may have: thirty years. */
    public static final int TERM_MONTHS_MAX = 360;
    /** Highest annual rate accepted: 100%. */
    public static final BigDecimal ANNUAL_RATE_MAX = BigDecimal.ONE;

    public ScheduleRequest {
        if (principalMinor <= 0) {
            throw new IllegalArgumentException("principal must be positive, was "
                    + principalMinor + " minor units");
        }
        if (annualRate == null || annualRate.signum() < 0
                || annualRate.compareTo(ANNUAL_RATE_MAX) > 0) {
            throw new IllegalArgumentException("annual rate must be between 0 and "
                    + ANNUAL_RATE_MAX + " (a fraction, 0.06 for 6%), was " + annualRate);
        }
        if (termMonths < 1 || termMonths > TERM_MONTHS_MAX) {
            throw new IllegalArgumentException("term must be 1 to " + TERM_MONTHS_MAX
                    + " months, was " + termMonths);
        }
        if (method == null || firstDueDate == null || currency == null) {
            throw new IllegalArgumentException("method, currency and first due date are needed");
        }
    }
}
