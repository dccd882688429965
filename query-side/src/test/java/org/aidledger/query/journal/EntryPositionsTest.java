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

    @Test
    void entriesPutBetweenLookUpsAreFoundAndTheLastPutWins() {
        EntryPositions positions = new EntryPositions();
        for (int i = 0; i < 10_000; i++) {
            positions.put("fund-" + (i % 13), "tx-" + i, i);
            if (i % 997 == 0) {
                // Looked up now and then, as reversals do: what was put before and since.
                assertThat(positions.get("fund-" + (i % 13), "tx-" + i)).isEqualTo(i);
                assertThat(positions.get("fund-0", "tx-0")).isEqualTo(0);
                assertThat(positions.get("fund-1", "tx-" + (i + 1))).isEqualTo(-1);
            }
        }
        // Put again before and after a look-up: the last position put is the one found.
        positions.put("fund-3", "tx-3", 50_000L);
        positions.put("fund-3", "tx-3", 50_001L);
        assertThat(positions.get("fund-3", "tx-3")).isEqualTo(50_001L);
        positions.put("fund-3", "tx-3", 50_002L);
        assertThat(positions.get("fund-3", "tx-3")).isEqualTo(50_002L);
        assertThat(positions.size()).isEqualTo(10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(positions.get("fund-" + (i % 13), "tx-" + i))
                    .isEqualTo(i == 3 ? 50_002L : i);
        }
    }
}
