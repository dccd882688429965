package org.aidledger.infra.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * The one definition of a chain link: SHA-256 over the previous link's digest and a canonical
 * form of the event row as PostgreSQL stores it. Every field is written as a 4-byte big-endian
 * length (-1 for NULL) followed by its bytes (UTF-8 for text), in this order: global index
 * (8 bytes), event id, aggregate id, sequence number (8 bytes), aggregate type, payload type,
 * payload revision, payload, metadata, timestamp. An outside verifier can reimplement it from
 * this comment alone.
 */
public final class ChainDigest {

    /** The digest before the first event: 32 zero bytes. */
    public static final byte[] GENESIS = new byte[32];

    /** The columns {@link #link} reads, in this order. */
    public static final String COLUMNS = "globalindex, eventidentifier, aggregateidentifier,"
            + " sequencenumber, type, payloadtype, payloadrevision, payload, metadata, timestamp";

    private ChainDigest() {
    }

    /** The next link's digest for the event row the result set stands on. */
    public static byte[] link(byte[] previous, ResultSet row) throws SQLException {
        return link(previous, EventRow.of(row));
    }

    /** The next link's digest after the given event. */
    public static byte[] link(byte[] previous, EventRow row) {
        MessageDigest sha = sha256();
        sha.update(previous);
        sha.update(ByteBuffer.allocate(8).putLong(row.globalIndex()).array());
        text(sha, row.eventIdentifier());
        text(sha, row.aggregateIdentifier());
        sha.update(ByteBuffer.allocate(8).putLong(row.sequenceNumber()).array());
        text(sha, row.type());
        text(sha, row.payloadType());
        text(sha, row.payloadRevision());
        bytes(sha, row.payload());
        bytes(sha, row.metaData());
        text(sha, row.timestamp());
        return sha.digest();
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static void text(MessageDigest sha, String value) {
        bytes(sha, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(MessageDigest sha, byte[] value) {
        if (value == null) {
            sha.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        sha.update(ByteBuffer.allocate(4).putInt(value.length).array());
        sha.update(value);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
