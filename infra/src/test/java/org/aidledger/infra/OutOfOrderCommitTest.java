package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.aidledger.infra.audit.EventChain;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Transactions commit in another order than they took their global index. An event whose index
 * is taken early but committed after later ones fills a gap; it must still be projected, and its
 * journal entry must carry its own position, not the highest one seen before it.
 */
class OutOfOrderCommitTest extends LedgerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void anEventCommittedAfterLaterOnesIsProjectedAtItsOwnPosition() throws Exception {
        String late = openFund("2000.00");
        String busy = openFund("2000.00");
        awaitProjections();
        long nextSequence = eventCount(late);
        String eventId = UUID.randomUUID().toString();
        String txId = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long index = reserveGlobalIndex(c);
            // Meanwhile other transactions take later indexes and commit: three of them here,
            // and for 50 s (under the 60 s idle limit) in the long version under ./ledger chaos.
            long holdUntil = System.nanoTime() + (Boolean.getBoolean("chaos.long")
                    ? 50_000_000_000L : 0);
            int i = 0;
            while (i < 3 || System.nanoTime() < holdUntil) {
                donate(busy, (++i) + ".00");
                c.createStatement().execute("SELECT 1");
                if (i >= 3) {
                    Thread.sleep(500);
                }
            }
            awaitProjections();
            insertDonationEvent(c, index, late, nextSequence, eventId, txId, 777);
            EventChain.link(c, List.of(eventId));
            c.commit();
            awaitProjections();
            assertThat(jdbc.queryForObject("SELECT position FROM journal_entry"
                    + " WHERE event_id = ?", Long.class, eventId)).isEqualTo(index);
        }
        assertThat(balances(late).get("cash").asText()).isEqualTo("7.77");
        assertThat(misplacedJournalEntries()).isZero();
    }
}
