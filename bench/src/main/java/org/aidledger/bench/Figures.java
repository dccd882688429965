package org.aidledger.bench;

import java.util.List;

/** Small helpers for the figures the workloads print. */
final class Figures {

    private Figures() {
    }

    /** The p-th percentile of sorted nanosecond latencies, in milliseconds (0 when empty). */
    static double percentileMs(List<Long> sortedNs, int p) {
        if (sortedNs.isEmpty()) {
            return 0;
        }
        int i = Math.min(sortedNs.size() - 1, (int) Math.ceil(sortedNs.size() * p / 100.0) - 1);
        return sortedNs.get(Math.max(i, 0)) / 1e6;
    }
}
