package org.aidledger.infra.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Streams the event log or the journal out as JSON Lines or CSV, reading with a server-side
 * cursor and writing as it reads, so memory stays flat however long the log. Every export ends
 * with the chain head, so that the file can be checked on its own and against the live ledger.
 *
 * <p>An events export carries each event's payload and metadata as the exact text stored, and
 * each link's digest, which is what {@link FileVerifier} recomputes.
 */
public final class Exporter {

    /** What to export. */
    public enum What { EVENTS, JOURNAL }

    /** How to write it. */
    public enum Format { JSONL, CSV }

    private static final int FETCH_ROWS = 5_000;
    private static final int PROGRESS_EVERY = 100_000;
    private static final JsonFactory JSON = new JsonFactory();

    private Exporter() {
    }

    /** Writes the export; returns the number of events or journal lines written. */
    public static long export(Connection connection, What what, Format format, OutputStream out,
            PrintStream progress) throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            // One snapshot for the rows and the head, so the head matches the rows exported.
            connection.createStatement().execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            long rows = what == What.EVENTS ? events(connection, format, out, progress)
                    : journal(connection, format, out, progress);
            out.flush();
            return rows;
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
    }

    private static long events(Connection c, Format format, OutputStream out,
            PrintStream progress) throws SQLException, IOException {
        long n = 0;
        Writer csv = format == Format.CSV ? writer(out) : null;
        if (csv != null) {
            csv.write("chain_seq,global_index,event_id,aggregate_id,sequence_number,"
                    + "aggregate_type,payload_type,payload_revision,timestamp,payload,metadata,"
                    + "digest\n");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT c.chain_seq, c.digest,"
                + " d.globalindex, d.eventidentifier, d.aggregateidentifier, d.sequencenumber,"
                + " d.type, d.payloadtype, d.payloadrevision, d.payload, d.metadata, d.timestamp"
                + " FROM event_chain c JOIN domainevententry d ON d.globalindex = c.global_index"
                + " ORDER BY c.chain_seq")) {
            ps.setFetchSize(FETCH_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EventRow e = EventRow.of(rs);
                    long seq = rs.getLong("chain_seq");
                    String digest = HexFormat.of().formatHex(rs.getBytes("digest"));
                    if (csv != null) {
                        csv.write(seq + "," + e.globalIndex() + "," + cell(e.eventIdentifier())
                                + "," + cell(e.aggregateIdentifier()) + "," + e.sequenceNumber()
                                + "," + cell(e.type()) + "," + cell(e.payloadType()) + ","
                                + cell(e.payloadRevision()) + "," + cell(e.timestamp()) + ","
                                + cell(text(e.payload())) + "," + cell(text(e.metaData()))
                                + "," + digest + "\n");
                    } else {
                        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
                        g.writeStartObject();
                        g.writeNumberField("chainSeq", seq);
                        g.writeNumberField("globalIndex", e.globalIndex());
                        g.writeStringField("eventId", e.eventIdentifier());
                        g.writeStringField("aggregateId", e.aggregateIdentifier());
                        g.writeNumberField("sequenceNumber", e.sequenceNumber());
                        g.writeStringField("aggregateType", e.type());
                        g.writeStringField("payloadType", e.payloadType());
                        g.writeStringField("payloadRevision", e.payloadRevision());
                        g.writeStringField("timestamp", e.timestamp());
                        g.writeStringField("payload", text(e.payload()));
                        g.writeStringField("metadata", text(e.metaData()));
                        g.writeStringField("digest", digest);
                        g.writeEndObject();
                        g.flush();
                        out.write('\n');
                    }
                    n++;
                    report(progress, n, "events");
                }
            }
        }
        writeHead(c, format, out, csv, n);
        return n;
    }

    private static long journal(Connection c, Format format, OutputStream out,
            PrintStream progress) throws SQLException, IOException {
        long n = 0;
        Writer csv = format == Format.CSV ? writer(out) : null;
        if (csv != null) {
            csv.write("position,event_id,fund_id,transaction_id,kind,value_date,recorded_at,"
                    + "reverses_transaction_id,actor,description,line_no,account,amount_minor,"
                    + "currency\n");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT j.position, j.event_id,"
                + " j.fund_id, j.transaction_id, j.kind, j.value_date, j.recorded_at,"
                + " j.reverses_transaction_id, j.actor, j.description, j.currency, l.line_no,"
                + " l.account, l.amount_minor FROM journal_entry j JOIN journal_line l"
                + " ON l.event_id = j.event_id ORDER BY j.position, l.line_no")) {
            ps.setFetchSize(FETCH_ROWS);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (csv != null) {
                        csv.write(rs.getLong("position") + "," + cell(rs.getString("event_id"))
                                + "," + cell(rs.getString("fund_id")) + ","
                                + cell(rs.getString("transaction_id")) + ","
                                + cell(rs.getString("kind")) + "," + rs.getDate("value_date")
                                + "," + rs.getTimestamp("recorded_at").toInstant() + ","
                                + cell(rs.getString("reverses_transaction_id")) + ","
                                + cell(rs.getString("actor")) + ","
                                + cell(rs.getString("description")) + "," + rs.getInt("line_no")
                                + "," + cell(rs.getString("account")) + ","
                                + rs.getLong("amount_minor") + "," + rs.getString("currency")
                                + "\n");
                    } else {
                        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
                        g.writeStartObject();
                        g.writeNumberField("position", rs.getLong("position"));
                        g.writeStringField("eventId", rs.getString("event_id"));
                        g.writeStringField("fundId", rs.getString("fund_id"));
                        g.writeStringField("transactionId", rs.getString("transaction_id"));
                        g.writeStringField("kind", rs.getString("kind"));
                        g.writeStringField("valueDate", rs.getDate("value_date").toString());
                        g.writeStringField("recordedAt",
                                rs.getTimestamp("recorded_at").toInstant().toString());
                        g.writeStringField("reversesTransactionId",
                                rs.getString("reverses_transaction_id"));
                        g.writeStringField("actor", rs.getString("actor"));
                        g.writeStringField("description", rs.getString("description"));
                        g.writeNumberField("lineNo", rs.getInt("line_no"));
                        g.writeStringField("account", rs.getString("account"));
                        g.writeNumberField("amountMinor", rs.getLong("amount_minor"));
                        g.writeStringField("currency", rs.getString("currency"));
                        g.writeEndObject();
                        g.flush();
                        out.write('\n');
                    }
                    n++;
                    report(progress, n, "journal lines");
                }
            }
        }
        writeHead(c, format, out, csv, n);
        return n;
    }

    private static void writeHead(Connection c, Format format, OutputStream out, Writer csv,
            long rows) throws SQLException, IOException {
        long seq;
        String digest;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT chain_seq, digest FROM event_chain_head WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
            digest = HexFormat.of().formatHex(rs.getBytes(2));
        }
        if (csv != null) {
            csv.write("# chain head," + seq + "," + digest + ",rows," + rows + ",exported at,"
                    + Instant.now() + "\n");
            csv.flush();
            return;
        }
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
        g.writeStartObject();
        g.writeObjectFieldStart("chainHead");
        g.writeNumberField("position", seq);
        g.writeStringField("digest", digest);
        g.writeEndObject();
        g.writeNumberField("rows", rows);
        g.writeStringField("exportedAt", Instant.now().toString());
        g.writeEndObject();
        g.flush();
        out.write('\n');
    }

    private static Writer writer(OutputStream out) {
        return new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8) {
            @Override
            public void close() {
                // The caller owns the stream.
            }
        };
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** A CSV cell: quoted when it holds a comma, quote or line break; NULL is empty. */
    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0 && !value.startsWith("#")) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static void report(PrintStream progress, long n, String what) {
        if (progress != null && n % PROGRESS_EVERY == 0) {
            progress.println("  ... " + n + " " + what + " exported");
        }
    }
}
