package org.aidledger.infra.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends chain links for events just inserted, on the same connection and so in the same
 * transaction. The head row is locked first, so links are added one transaction at a time in
 * the order the transactions reach this point; a transaction that rolls back takes its links
 * with it, and one that commits cannot have skipped a link.
 */
public final class EventChain {

    private EventChain() {
    }

    public static void link(Connection connection, List<String> eventIdentifiers)
            throws SQLException {
        long seq;
        byte[] digest;
        try (PreparedStatement head = connection.prepareStatement(
                "SELECT chain_seq, digest FROM event_chain_head WHERE id = 1 FOR UPDATE");
                ResultSet rs = head.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("event_chain_head has no row; run migrations");
            }
            seq = rs.getLong(1);
            digest = rs.getBytes(2);
        }
        try (PreparedStatement events = connection.prepareStatement("SELECT "
                + ChainDigest.COLUMNS + " FROM domainevententry WHERE eventidentifier = ANY (?)"
                + " ORDER BY globalindex");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO event_chain"
                        + " (chain_seq, global_index, event_identifier, digest)"
                        + " VALUES (?, ?, ?, ?)")) {
            Array ids = connection.createArrayOf("varchar", eventIdentifiers.toArray());
            events.setArray(1, ids);
            int linked = 0;
            try (ResultSet rs = events.executeQuery()) {
                while (rs.next()) {
                    digest = ChainDigest.link(digest, rs);
                    seq++;
                    linked++;
                    insert.setLong(1, seq);
                    insert.setLong(2, rs.getLong("globalindex"));
                    insert.setString(3, rs.getString("eventidentifier"));
                    insert.setBytes(4, digest);
                    insert.addBatch();
                }
            }
            if (linked != eventIdentifiers.size()) {
                throw new IllegalStateException("chained " + linked + " of "
                        + eventIdentifiers.size() + " events just appended");
            }
            insert.executeBatch();
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE event_chain_head"
                + " SET chain_seq = ?, digest = ?, updated_at = now() WHERE id = 1")) {
            update.setLong(1, seq);
            update.setBytes(2, digest);
            update.executeUpdate();
        }
    }
}
