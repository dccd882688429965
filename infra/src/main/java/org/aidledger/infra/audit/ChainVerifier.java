package org.aidledger.infra.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Recomputes the hash chain from the event rows alone and reports the first place where the log
 * differs from what was written: an event changed (UPDATE), removed (DELETE) or added (INSERT)
 * behind the application's back, a link removed, or a head or logged digest that does not match.
 * It reads with a server-side cursor, so memory stays flat however long the log.
 */
public final class ChainVerifier {

    /** Rows fetched per round trip while walking the chain. */
    private static final int FETCH_ROWS = 5_000;

    /** What the verification found. firstDifference is null when the log is intact. */
    public record Result(boolean ok, long eventsChecked, long headSeq, String headDigest,
            String firstDifference, Long differenceGlobalIndex, double seconds) {

        public double eventsPerSecond() {
            return seconds <= 0 ? eventsChecked : eventsChecked / seconds;
        }

        public String describe() {
            String speed = String.format("%d events in %.2f s (%.0f events/s)", eventsChecked,
                    seconds, eventsPerSecond());
            return ok ? "OK " + speed + ", head " + headSeq + " " + headDigest
                    : "DIFFERS " + firstDifference + " (" + speed + ")";
        }
    }

    private ChainVerifier() {
    }

    public static Result verify(Connection connection, LongConsumer progress)
            throws SQLException {
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            connection.createStatement().execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            return walk(connection, progress, started);
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Verifies within the caller's transaction, for a caller that has already set it up (a test
     * that tampers inside a transaction it then rolls back).
     */
    public static Result verifyInCurrentTransaction(Connection connection) throws SQLException {
        return walk(connection, null, System.nanoTime());
    }

    private static Result walk(Connection connection, LongConsumer progress, long started)
            throws SQLException {
        Map<Long, byte[]> logged = new HashMap<>();
        try (PreparedStatement log = connection.prepareStatement(
                "SELECT chain_seq, digest FROM chain_digest_log");
                ResultSet rs = log.executeQuery()) {
            while (rs.next()) {
                logged.put(rs.getLong(1), rs.getBytes(2));
            }
        }
        long headSeq;
        byte[] headDigest;
        try (PreparedStatement head = connection.prepareStatement(
                "SELECT chain_seq, digest FROM event_chain_head WHERE id = 1");
                ResultSet rs = head.executeQuery()) {
            rs.next();
            headSeq = rs.getLong(1);
            headDigest = rs.getBytes(2);
        }

        byte[] digest = ChainDigest.GENESIS;
        long seq = 0;
        String difference = null;
        Long differenceIndex = null;
        try (PreparedStatement walk = connection.prepareStatement("SELECT c.chain_seq,"
                + " c.global_index AS linked_index, c.event_identifier AS linked_id,"
                + " c.digest AS linked_digest, d.globalindex, d.eventidentifier,"
                + " d.aggregateidentifier, d.sequencenumber, d.type, d.payloadtype,"
                + " d.payloadrevision, d.payload, d.metadata, d.timestamp"
                + " FROM event_chain c LEFT JOIN domainevententry d"
                + " ON d.globalindex = c.global_index ORDER BY c.chain_seq")) {
            walk.setFetchSize(FETCH_ROWS);
            try (ResultSet rs = walk.executeQuery()) {
                while (rs.next()) {
                    long chainSeq = rs.getLong("chain_seq");
                    long linkedIndex = rs.getLong("linked_index");
                    if (chainSeq != seq + 1) {
                        difference = "chain link " + (seq + 1) + " is missing";
                        differenceIndex = linkedIndex;
                        break;
                    }
                    if (rs.getObject("globalindex") == null) {
                        difference = "event at position " + linkedIndex + " (chain link "
                                + chainSeq + ") was deleted";
                        differenceIndex = linkedIndex;
                        break;
                    }
                    if (!rs.getString("eventidentifier").equals(rs.getString("linked_id"))) {
                        difference = "event at position " + linkedIndex
                                + " was replaced by another event";
                        differenceIndex = linkedIndex;
                        break;
                    }
                    byte[] next = ChainDigest.link(digest, rs);
                    if (!Arrays.equals(next, rs.getBytes("linked_digest"))) {
                        difference = "event at position " + linkedIndex + " (chain link "
                                + chainSeq + ") differs from what was written";
                        differenceIndex = linkedIndex;
                        break;
                    }
                    byte[] loggedDigest = logged.get(chainSeq);
                    if (loggedDigest != null && !Arrays.equals(loggedDigest, next)) {
                        difference = "chain link " + chainSeq + " differs from the digest"
                                + " logged for it earlier: the chain was rewritten";
                        differenceIndex = linkedIndex;
                        break;
                    }
                    digest = next;
                    seq = chainSeq;
                    if (progress != null && seq % 100_000 == 0) {
                        progress.accept(seq);
                    }
                }
            }
        }
        if (difference == null && (seq != headSeq || !Arrays.equals(digest, headDigest))) {
            difference = "the recorded head (" + headSeq + " " + ChainDigest.hex(headDigest)
                    + ") does not match the chain's end (" + seq + " " + ChainDigest.hex(digest)
                    + ")";
        }
        // An event with no link was written without the application: the chain never saw it.
        try (PreparedStatement unlinked = connection.prepareStatement("SELECT min(d.globalindex)"
                + " FROM domainevententry d WHERE NOT EXISTS (SELECT 1 FROM event_chain c"
                + " WHERE c.global_index = d.globalindex)");
                ResultSet rs = unlinked.executeQuery()) {
            rs.next();
            long index = rs.getLong(1);
            if (!rs.wasNull() && (differenceIndex == null || index < differenceIndex)) {
                difference = "event at position " + index + " is not in the chain:"
                        + " it was added behind the application's back";
                differenceIndex = index;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(difference == null, seq, seq, ChainDigest.hex(digest), difference,
                differenceIndex, seconds);
    }
}
