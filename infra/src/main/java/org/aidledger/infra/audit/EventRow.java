package org.aidledger.infra.audit;

import java.sql.ResultSet;
import java.sql.SQLException;

/** One event row exactly as PostgreSQL stores it: what a chain link is computed over. */
public record EventRow(long globalIndex, String eventIdentifier, String aggregateIdentifier,
        long sequenceNumber, String type, String payloadType, String payloadRevision,
        byte[] payload, byte[] metaData, String timestamp) {

    /** Reads the row the result set stands on; it must select {@link ChainDigest#COLUMNS}. */
    public static EventRow of(ResultSet rs) throws SQLException {
        return new EventRow(rs.getLong("globalindex"), rs.getString("eventidentifier"),
                rs.getString("aggregateidentifier"), rs.getLong("sequencenumber"),
                rs.getString("type"), rs.getString("payloadtype"),
                rs.getString("payloadrevision"), rs.getBytes("payload"),
                rs.getBytes("metadata"), rs.getString("timestamp"));
    }
}
