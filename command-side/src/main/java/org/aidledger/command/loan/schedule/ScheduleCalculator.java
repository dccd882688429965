package org.aidledger.command.loan.schedule;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes repayment schedules in exact minor units.
 *
 * <p><b>The rounding rule</b>, applied in {@link #toMinor} and nowhere else: the monthly rate is
 * the annual rate / 12, kept exact to 34 digits (DECIMAL128); every amount of a schedule is
 * rounded to the minor unit (the fen) HALF_UP — each month's interest on the remaining principal,
 * and the level payment of equal instalments, P·r·(1+r)^n / ((1+r)^n − 1), or P/n at a zero rate.
 * Flat interest per month is the rounded total divided by n rounded DOWN, so that the months
 * before the last never take more than the total. The last instalment absorbs all rounding: its
 * principal is exactly what remains, so the principal parts add up to the principal.
 */
public final class ScheduleCalculator {

    private static final MathContext MC = MathContext.DECIMAL128;
    private static final BigDecimal TWELVE = BigDecimal.valueOf(12);

    private ScheduleCalculator() {
    }

    public static Schedule compute(ScheduleRequest request) {
        return new Schedule(request, instalments(request, 1));
    }

    /**
     * A new schedule for what remains after an early part-repayment or a rescheduling: the same
     * method and rate over the instalments still to come, numbered from {@code fromInstalment}.
     */
    public static Schedule recompute(Schedule original, int fromInstalment,
            long remainingPrincipalMinor, LocalDate nextDueDate) {
        ScheduleRequest o = original.request();
        int termLeft = o.termMonths() - (fromInstalment - 1);
        if (termLeft < 1) {
            throw new IllegalArgumentException("instalment " + fromInstalment
                    + " is beyond the " + o.termMonths() + "-month term");
        }
        ScheduleRequest rest = new ScheduleRequest(remainingPrincipalMinor, o.currency(),
                o.annualRate(), termLeft, o.method(), nextDueDate);
        return new Schedule(rest, instalments(rest, fromInstalment));
    }

    private static List<Instalment> instalments(ScheduleRequest q, int firstNumber) {
        BigDecimal r = q.annualRate().divide(TWELVE, MC);
        int n = q.termMonths();
        long principal = q.principalMinor();
        long level = switch (q.method()) {
            case EQUAL_INSTALMENTS -> levelPayment(principal, r, n);
            case EQUAL_PRINCIPAL, FLAT -> principal / n;
            case INTEREST_ONLY -> 0;
        };
        long flatInterestTotal = toMinor(BigDecimal.valueOf(principal)
                .multiply(q.annualRate(), MC).multiply(BigDecimal.valueOf(n), MC)
                .divide(TWELVE, MC), RoundingMode.HALF_UP);
        long flatInterestMonthly = flatInterestTotal / n;

        List<Instalment> out = new ArrayList<>(n);
        long remaining = principal;
        long flatInterestLeft = flatInterestTotal;
        for (int k = 1; k <= n; k++) {
            boolean last = k == n;
            long interest = q.method() == RepaymentMethod.FLAT
                    ? (last ? flatInterestLeft : flatInterestMonthly)
                    : toMinor(BigDecimal.valueOf(remaining).multiply(r, MC), RoundingMode.HALF_UP);
            long principalPart;
            if (last) {
                principalPart = remaining;
            } else {
                principalPart = switch (q.method()) {
                    case EQUAL_INSTALMENTS -> Math.subtractExact(level, interest);
                    case EQUAL_PRINCIPAL, FLAT -> level;
                    case INTEREST_ONLY -> 0;
                };
                // Rounding up a tiny level payment can outrun the principal; never overpay it.
                principalPart = Math.max(0, Math.min(principalPart, remaining));
            }
            remaining = Math.subtractExact(remaining, principalPart);
            flatInterestLeft = Math.subtractExact(flatInterestLeft, q.method()
                    == RepaymentMethod.FLAT ? interest : 0);
            out.add(new Instalment(firstNumber + k - 1, q.firstDueDate().plusMonths(k - 1),
                    principalPart, interest, Math.addExact(principalPart, interest), remaining));
        }
        return out;
    }

    /** The level monthly payment of an annuity, rounded by the one rule. */
    static long levelPayment(long principal, BigDecimal monthlyRate, int n) {
        BigDecimal p = BigDecimal.valueOf(principal);
        if (monthlyRate.signum() == 0) {
            return toMinor(p.divide(BigDecimal.valueOf(n), MC), RoundingMode.HALF_UP);
        }
        BigDecimal growth = BigDecimal.ONE.add(monthlyRate, MC).pow(n, MC);
        BigDecimal payment = p.multiply(monthlyRate, MC).multiply(growth, MC)
                .divide(growth.subtract(BigDecimal.ONE, MC), MC);
        return toMinor(payment, RoundingMode.HALF_UP);
    }

    /** The one place an exact amount in minor units becomes a whole number of them. */
    private static long toMinor(BigDecimal minorUnits, RoundingMode mode) {
        return minorUnits.setScale(0, mode).longValueExact();
    }
}
