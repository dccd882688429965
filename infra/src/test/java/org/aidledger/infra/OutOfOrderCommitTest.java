package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
            long index;
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT nextval(pg_get_serial_sequence('domainevententry', 'globalindex'))")) {
                rs.next();
                index = rs.getLong(1);
            }
            // Meanwhile other transactions take later indexes and commit.
            for (int i = 1; i <= 3; i++) {
                donate(busy, i + ".00");
            }
            awaitProjections();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO domainevententry"
                    + " (globalindex, aggregateidentifier, sequencenumber, type, eventidentifier,"
                    + " metadata, payload, payloadrevision, payloadtype, timestamp)"
                    + " VALUES (?, ?, ?, 'Fund', ?, convert_to(?, 'UTF8'), convert_to(?, 'UTF8'),"
                    + " '1', 'org.aidledger.messages.fund.DonationReceived', ?)")) {
                insert.setLong(1, index);
                insert.setString(2, late);
                insert.setLong(3, nextSequence);
                insert.setString(4, eventId);
                insert.setString(5, "{\"actor\":\"admin\"}");
                insert.setString(6, "{\"fundId\":\"" + late + "\",\"transactionId\":\"" + txId
                        + "\",\"amount\":{\"amountMinor\":777,\"currency\":\"CNY\"},"
                        + "\"donorType\":\"ANONYMOUS\",\"donorRef\":null,\"campaign\":null,"
                        + "\"restrictedPurpose\":null,\"valueDate\":\"2026-05-01\"}");
                insert.setString(7, java.time.Instant.now().toString());
                insert.executeUpdate();
            }
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
