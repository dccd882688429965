package org.aidledger.query.loan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrearsTest {

    @Test
    void bucketBoundaries() {
        assertThat(Arrears.bucketOf(0)).isEqualTo("CURRENT");
        assertThat(Arrears.bucketOf(1)).isEqualTo("1-30");
        assertThat(Arrears.bucketOf(30)).isEqualTo("1-30");
        assertThat(Arrears.bucketOf(31)).isEqualTo("31-60");
        assertThat(Arrears.bucketOf(60)).isEqualTo("31-60");
        assertThat(Arrears.bucketOf(61)).isEqualTo("61-90");
        assertThat(Arrears.bucketOf(90)).isEqualTo("61-90");
        assertThat(Arrears.bucketOf(91)).isEqualTo("OVER_90");
    }

    @Test
    void anInstalmentDueTodayIsNotYetInArrears() {
        LocalDate today = LocalDate.of(2026, 3, 10);
        Arrears.Report r = Arrears.of(today, List.of(new Arrears.Loan("l", 1000,
                List.of(new Arrears.Due(today, 100, 0)))));
        assertThat(r.arrearsMinor()).isZero();
        assertThat(r.buckets().get(0).loans()).isEqualTo(1);
    }

    @Test
    void partlyPaidInstalmentCountsWhatIsMissing() {
        Arrears.Report r = Arrears.of(LocalDate.of(2026, 3, 11), List.of(new Arrears.Loan("l",
                1000, List.of(new Arrears.Due(LocalDate.of(2026, 3, 10), 100, 60)))));
        assertThat(r.arrearsMinor()).isEqualTo(40);
        assertThat(r.buckets().get(1).bucket()).isEqualTo("1-30");
        assertThat(r.buckets().get(1).loans()).isEqualTo(1);
    }

    @Test
    void emptyPortfolioHasNoRisk() {
        assertThat(Arrears.of(LocalDate.of(2026, 1, 1), List.of()).par30().toPlainString())
                .isEqualTo("0.0000");
    }
}
