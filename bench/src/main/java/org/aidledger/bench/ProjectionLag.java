package org.aidledger.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How far a projection trails the event log, from the log's head read every so often (W1 reads
 * it every 100 ms). A projection's lag at a moment is the time since the log first reached the
 * position the projection has reached. That moment lies between two reads of the head; it is
 * interpolated between them by position, as events arrive at a steady rate within 100 ms.
 *
 * <p>Taking the first read at or past the position instead (as W1 did before) counted every
 * projection within one interval of the head as 0 ms behind, and the rest as whole intervals:
 * a run printed a p99 of 0 ms, below what the measurement could tell.
 */
final class ProjectionLag {

    /** The reads of the head, in the order taken: {nanoTime, position}. */
    private final List<long[]> heads = new ArrayList<>();

    /** The log's head was {@code position} at {@code nanos} (at the latest). */
    void head(long nanos, long position) {
        heads.add(new long[] {nanos, position});
    }

    /**
     * Milliseconds by which a projection at {@code projected}, read at {@code nanos}, trails the
     * log: 0 if it is at or past the last head read; measured from the first read if the log was
     * already there at the first read.
     */
    double lagMs(long nanos, long projected) {
        for (int i = 0; i < heads.size(); i++) {
            long[] h = heads.get(i);
            if (h[1] < projected) {
                continue;
            }
            double reached = h[0];
            if (i > 0) {
                // before[1] < projected <= h[1]: the log passed the position in between.
                long[] before = heads.get(i - 1);
                reached = before[0] + (double) (projected - before[1]) / (h[1] - before[1])
                        * (h[0] - before[0]);
            }
            return Math.max(0, (nanos - reached) / 1e6);
        }
        return 0;
    }
}
