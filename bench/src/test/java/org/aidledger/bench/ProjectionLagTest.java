package org.aidledger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProjectionLagTest {

    private static final long MS = 1_000_000;

    /** The head read at each of the given times, in milliseconds, at the position after it. */
    private static ProjectionLag readsOfTheHead(long... msThenPosition) {
        ProjectionLag lag = new ProjectionLag();
        for (int i = 0; i < msThenPosition.length; i += 2) {
            lag.head(msThenPosition[i] * MS, msThenPosition[i + 1]);
        }
        return lag;
    }

    @Test
    void aProjectionBetweenTwoReadsOfTheHeadTrailsByTheInterpolatedTime() {
        ProjectionLag lag = readsOfTheHead(1_000, 100, 1_100, 300, 1_200, 500);
        // The log passed 350 a quarter of the way from the read at 1,100 ms to the one at
        // 1,200 ms: 1,125 ms; the projection was there at 1,203 ms.
        assertThat(lag.lagMs(1_203 * MS, 350)).isCloseTo(78.0, within(1e-9));
        // At 300 exactly: the log was there at the read of 1,100 ms.
        assertThat(lag.lagMs(1_203 * MS, 300)).isCloseTo(103.0, within(1e-9));
    }

    @Test
    void aProjectionAtOrPastTheLastHeadReadTrailsOnlyByTheTimeSinceThatRead() {
        ProjectionLag lag = readsOfTheHead(1_000, 100, 1_100, 300);
        assertThat(lag.lagMs(1_102 * MS, 300)).isCloseTo(2.0, within(1e-9));
        assertThat(lag.lagMs(1_102 * MS, 301)).isZero();
    }

    @Test
    void aProjectionBehindTheFirstReadIsMeasuredFromIt() {
        ProjectionLag lag = readsOfTheHead(1_000, 100, 1_100, 300);
        assertThat(lag.lagMs(1_150 * MS, 40)).isCloseTo(150.0, within(1e-9));
    }

    @Test
    void readsWithoutNewEventsDoNotDivideByZero() {
        ProjectionLag lag = readsOfTheHead(1_000, 100, 1_100, 100, 1_200, 200);
        // 100 was reached by the first read; 150 halfway between the second and third.
        assertThat(lag.lagMs(1_250 * MS, 100)).isCloseTo(250.0, within(1e-9));
        assertThat(lag.lagMs(1_250 * MS, 150)).isCloseTo(100.0, within(1e-9));
    }
}
