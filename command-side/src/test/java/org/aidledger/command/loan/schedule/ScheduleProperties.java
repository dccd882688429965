package org.aidledger.command.loan.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Scale;

/** What holds for any principal, rate, term and method. */
class ScheduleProperties {

    private static final LocalDate FIRST_DUE = LocalDate.of(2027, 1, 15);

    private static Schedule schedule(long p, BigDecimal rate, int n, RepaymentMethod m) {
        return ScheduleCalculator.compute(new ScheduleRequest(p, "CNY", rate, n, m, FIRST_DUE));
    }

    @Property(tries = 400)
    void principalPartsSumToThePrincipalAndNothingIsNegative(
            @ForAll @LongRange(min = 1, max = 100_000_000_000L) long principal,
            @ForAll @BigRange(min = "0", max = "0.36") @Scale(4) BigDecimal rate,
            @ForAll @IntRange(min = 1, max = 360) int term,
            @ForAll RepaymentMethod method) {
        Schedule s = schedule(principal, rate, term, method);
        assertThat(s.instalments()).hasSize(term);
        assertThat(s.totalPrincipalMinor()).isEqualTo(principal);
        long remaining = principal;
        for (Instalment i : s.instalments()) {
            assertThat(i.principalMinor()).isNotNegative();
            assertThat(i.interestMinor()).isNotNegative();
            assertThat(i.paymentMinor()).isEqualTo(i.principalMinor() + i.interestMinor());
            remaining -= i.principalMinor();
            assertThat(i.remainingPrincipalMinor()).isEqualTo(remaining).isNotNegative();
        }
        assertThat(remaining).isZero();
    }

    /**
     * In exact arithmetic equal principal never costs more interest than equal instalments. Each
     * month's interest is rounded to the fen, so each total can move by up to half a fen a month:
     * where the two exact totals are within that (tiny loans, rates near zero; 1.74 yuan over 35
     * months at 6.87% is one) equal principal can come out a fen or so above. The property is
     * therefore held to the rounding allowance of one fen per month, and exactly wherever the
     * exact totals differ by more than that. Below 1,000.00 over the longest terms a level
     * payment can round to a fen or nothing and the comparison means nothing, so principals
     * start there; the union lends no less.
     */
    @Property(tries = 1000)
    void equalPrincipalNeverCostsMoreInterestThanEqualInstalments(
            @ForAll @LongRange(min = 100_000, max = 100_000_000_000L) long principal,
            @ForAll @BigRange(min = "0", max = "0.36") @Scale(4) BigDecimal rate,
            @ForAll @IntRange(min = 1, max = 360) int term) {
        long equalPrincipal = schedule(principal, rate, term, RepaymentMethod.EQUAL_PRINCIPAL)
                .totalInterestMinor();
        long equalInstalments = schedule(principal, rate, term,
                RepaymentMethod.EQUAL_INSTALMENTS).totalInterestMinor();
        assertThat(equalPrincipal).isLessThanOrEqualTo(equalInstalments + term);
        BigDecimal exactGap = exactInterest(principal, rate, term, true)
                .subtract(exactInterest(principal, rate, term, false));
        if (exactGap.compareTo(BigDecimal.valueOf(term)) > 0) {
            assertThat(equalPrincipal).isLessThanOrEqualTo(equalInstalments);
        }
    }

    /** Total interest without any rounding: the annuity (true) or equal principal (false). */
    private static BigDecimal exactInterest(long principal, BigDecimal annualRate, int n,
            boolean annuity) {
        java.math.MathContext mc = java.math.MathContext.DECIMAL128;
        BigDecimal p = BigDecimal.valueOf(principal);
        BigDecimal r = annualRate.divide(BigDecimal.valueOf(12), mc);
        if (!annuity) {
            // P·r·(n+1)/2
            return p.multiply(r, mc).multiply(BigDecimal.valueOf(n + 1), mc)
                    .divide(BigDecimal.valueOf(2), mc);
        }
        if (r.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal growth = BigDecimal.ONE.add(r, mc).pow(n, mc);
        BigDecimal payment = p.multiply(r, mc).multiply(growth, mc)
                .divide(growth.subtract(BigDecimal.ONE, mc), mc);
        return payment.multiply(BigDecimal.valueOf(n), mc).subtract(p, mc);
    }

    @Property(tries = 200)
    void zeroRateMeansZeroInterest(
            @ForAll @LongRange(min = 1, max = 100_000_000_000L) long principal,
            @ForAll @IntRange(min = 1, max = 360) int term,
            @ForAll RepaymentMethod method) {
        assertThat(schedule(principal, BigDecimal.ZERO, term, method).totalInterestMinor())
                .isZero();
    }
}
