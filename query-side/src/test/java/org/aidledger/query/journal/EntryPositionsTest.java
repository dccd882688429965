package org.aidledger.query.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntryPositionsTest {

    @Test
    void findsEveryEntryPutAndNothingElse() {
        EntryPositions positions = new EntryPositions();
        for (int i = 0; i < 100_000; i++) {
            positions.put("fund-" + (i % 97), "tx-" + i, 1_000L + i);
        }
        assertThat(positions.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertThat(positions.get("fund-" + (i % 97), "tx-" + i)).isEqualTo(1_000L + i);
        }
        // The same transaction id in another fund is another entry.
        assertThat(positions.get("fund-1", "tx-0")).isEqualTo(-1);
        assertThat(positions.get("fund-0", "tx-100000")).isEqualTo(-1);
    }

    @Test
    void anEntryPutAgainIsFoundAtItsLatestPosition() {
        EntryPositions positions = new EntryPositions();
        for (int i = 0; i < 20_000; i++) {
            positions.put("fund-" + (i % 7), "tx-" + i, i);
        }
        positions.put("fund-5", "tx-5", 99_999L);
        assertThat(positions.size()).isEqualTo(20_000);
        assertThat(positions.get("fund-5", "tx-5")).isEqualTo(99_999L);
        assertThat(positions.get("fund-6", "tx-6")).isEqualTo(6L);
    }

    @Test
    void theIdsAreNotRunTogether() {
        assertThat(EntryPositions.key("ab", "c")).isNotEqualTo(EntryPositions.key("a", "bc"));
    }
}
