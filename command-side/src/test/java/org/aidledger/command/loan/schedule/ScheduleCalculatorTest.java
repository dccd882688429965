package org.aidledger.command.loan.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Worked examples whose figures were computed outside this code: the annuity payment from the
 * textbook formula A = P·r·(1+r)^n / ((1+r)^n − 1), the equal-principal interest from
 * P·r·(n+1)/2, and the rest by hand (checked with Python's decimal module, HALF_UP to the fen).
 */
class ScheduleCalculatorTest {

    private static final LocalDate FIRST_DUE = LocalDate.of(2027, 1, 31);

    private static Schedule schedule(long principalMinor, String rate, int months,
            RepaymentMethod method) {
        return ScheduleCalculator.compute(new ScheduleRequest(principalMinor, "CNY",
                new BigDecimal(rate), months, method, FIRST_DUE));
    }

    @Test
    void equalInstalmentsOfOneHundredThousandAtSixPercentOverAYear() {
        // r = 0.06 / 12 = 0.005; A = 100000 × 0.005 × 1.005^12 / (1.005^12 − 1) = 8606.6430…
        Schedule s = schedule(10_000_000, "0.06", 12, RepaymentMethod.EQUAL_INSTALMENTS);
        List<Instalment> rows = s.instalments();
        assertThat(rows).hasSize(12);
        assertThat(rows.get(0)).isEqualTo(new Instalment(1, FIRST_DUE, 810_664, 50_000,
                860_664, 9_189_336));
        for (int k = 0; k < 11; k++) {
            assertThat(rows.get(k).paymentMinor()).as("payment %d", k + 1).isEqualTo(860_664);
        }
        // The last instalment takes what remains: 8563.87 principal, 42.82 interest.
        assertThat(rows.get(11)).isEqualTo(new Instalment(12, LocalDate.of(2027, 12, 31),
                856_387, 4_282, 860_669, 0));
        assertThat(s.totalInterestMinor()).isEqualTo(327_973);
        assertThat(s.totalPrincipalMinor()).isEqualTo(10_000_000);
    }

    @Test
    void equalPrincipalOfTheSameLoan() {
        // 100000 / 12 = 8333.33 a month, the last 8333.37; interest 500.00, 458.33, ...
        // Total interest P·r·(n+1)/2 = 100000 × 0.005 × 6.5 = 3250.00.
        Schedule s = schedule(10_000_000, "0.06", 12, RepaymentMethod.EQUAL_PRINCIPAL);
        assertThat(s.instalments().get(0)).isEqualTo(new Instalment(1, FIRST_DUE, 833_333,
                50_000, 883_333, 9_166_667));
        assertThat(s.instalments().get(1).interestMinor()).isEqualTo(45_833);
        assertThat(s.instalments().get(11).principalMinor()).isEqualTo(833_337);
        assertThat(s.instalments().get(11).interestMinor()).isEqualTo(4_167);
        assertThat(s.totalInterestMinor()).isEqualTo(325_000);
    }

    @Test
    void interestOnlyPaysThePrincipalAtMaturity() {
        Schedule s = schedule(10_000_000, "0.06", 12, RepaymentMethod.INTEREST_ONLY);
        for (int k = 0; k < 11; k++) {
            assertThat(s.instalments().get(k).paymentMinor()).isEqualTo(50_000);
            assertThat(s.instalments().get(k).principalMinor()).isZero();
        }
        assertThat(s.instalments().get(11).paymentMinor()).isEqualTo(10_050_000);
        assertThat(s.totalInterestMinor()).isEqualTo(600_000);
    }

    @Test
    void flatInterestIsOnTheOriginalPrincipal() {
        // 100000 × 6% × 12/12 = 6000.00 in all, 500.00 a month.
        Schedule s = schedule(10_000_000, "0.06", 12, RepaymentMethod.FLAT);
        assertThat(s.instalments()).allMatch(i -> i.interestMinor() == 50_000);
        assertThat(s.totalInterestMinor()).isEqualTo(600_000);
        // 1000.00 over 3 months at 5%: 12.50 flat interest; 4.16, 4.16 and the last 4.18.
        Schedule odd = schedule(100_000, "0.05", 3, RepaymentMethod.FLAT);
        assertThat(odd.instalments()).extracting(Instalment::interestMinor)
                .containsExactly(416L, 416L, 418L);
        assertThat(odd.instalments()).extracting(Instalment::principalMinor)
                .containsExactly(33_333L, 33_333L, 33_334L);
    }

    @Test
    void zeroRateSplitsThePrincipalWithTheRemainderLast() {
        Schedule s = schedule(1_000_000, "0", 3, RepaymentMethod.EQUAL_INSTALMENTS);
        assertThat(s.instalments()).extracting(Instalment::principalMinor)
                .containsExactly(333_333L, 333_333L, 333_334L);
        assertThat(s.totalInterestMinor()).isZero();
    }

    @Test
    void dueDatesKeepTheirDayOfMonthOrTheMonthsLastDay() {
        Schedule s = schedule(100_000, "0.06", 4, RepaymentMethod.EQUAL_PRINCIPAL);
        assertThat(s.instalments()).extracting(Instalment::dueDate).containsExactly(
                LocalDate.of(2027, 1, 31), LocalDate.of(2027, 2, 28), LocalDate.of(2027, 3, 31),
                LocalDate.of(2027, 4, 30));
    }

    @Test
    void recomputesWhatRemainsAfterAnEarlyRepayment() {
        Schedule s = schedule(10_000_000, "0.06", 12, RepaymentMethod.EQUAL_INSTALMENTS);
        Schedule rest = ScheduleCalculator.recompute(s, 4, 5_000_000, LocalDate.of(2027, 4, 30));
        assertThat(rest.instalments()).hasSize(9);
        assertThat(rest.instalments().get(0).number()).isEqualTo(4);
        assertThat(rest.instalments().get(0).interestMinor()).isEqualTo(25_000);
        assertThat(rest.totalPrincipalMinor()).isEqualTo(5_000_000);
    }

    @Test
    void refusesWhatIsNotALoan() {
        assertThatThrownBy(() -> schedule(0, "0.06", 12, RepaymentMethod.FLAT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("principal");
        assertThatThrownBy(() -> schedule(100, "-0.01", 12, RepaymentMethod.FLAT))
                .hasMessageContaining("annual rate");
        assertThatThrownBy(() -> schedule(100, "1.01", 12, RepaymentMethod.FLAT))
                .hasMessageContaining("annual rate");
        assertThatThrownBy(() -> schedule(100, "0.06", 0, RepaymentMethod.FLAT))
                .hasMessageContaining("term");
        assertThatThrownBy(() -> schedule(100, "0.06", 361, RepaymentMethod.FLAT))
                .hasMessageContaining("term");
    }
}
