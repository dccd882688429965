package org.aidledger.infra.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aidledger.query.admin.Projections;
import org.aidledger.query.directory.DirectoryProjection;
import org.aidledger.query.journal.LedgerProjection;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Rebuilds every read model from the first event into the separate schema {@value #SCHEMA},
 * using the very projection classes the service runs, and compares it table by table with the
 * live read models. The live schema is only read. The rebuild is one transaction on a scratch
 * copy: events are decoded on one thread and applied on this one, and the ledger projection
 * runs in its rebuilding mode ({@link LedgerProjection#rebuilding}), which writes the journal
 * with COPY beside the handlers.
 */
public final class ReplayCompare {

    public static final String SCHEMA = "audit_replay";
    private static final int FETCH_ROWS = 5_000;
    /** Differing rows printed per table and direction. */
    private static final int SHOWN_ROWS_MAX = 5;
    private static final int PROGRESS_EVERY = 100_000;

    /** The outcome: ok when every table matches. */
    public record Result(boolean ok, long events, double seconds, List<String> differences) {
        public double eventsPerSecond() {
            return seconds <= 0 ? events : events / seconds;
        }
    }

    private ReplayCompare() {
    }

    /**
     * @param reader a connection used only to read the events and the live tables
     * @param writer a connection for the replay schema; left with autocommit on afterwards
     */
    public static Result run(Connection reader, Connection writer, PrintStream out)
            throws SQLException {
        return run(reader, writer, out, LedgerProjection.PENDING_MAX,
                LedgerProjection.RECENT_ENTRIES, LedgerProjection.PAYOUTS_HELD);
    }

    /**
     * As {@link #run(Connection, Connection, PrintStream)}, with the journal written every
     * {@code entriesPerWrite} entries, the lines of {@code recentEntries} recent entries kept
     * for reversals and at most {@code payoutsHeld} payout-register rows held in memory (tests
     * make the first small, so that writes still running meet the handlers that read the
     * journal, the second 0, so that every reversal finds its entry by position, and the third
     * small, so that payouts written before they are decided, paid or reversed change by
     * statement).
     */
    public static Result run(Connection reader, Connection writer, PrintStream out,
            int entriesPerWrite, int recentEntries, int payoutsHeld) throws SQLException {
        long started = System.nanoTime();
        // The schema is made and committed first, then filled in one transaction.
        writer.setAutoCommit(true);
        Replayed replayed = replay(reader, writer, out, entriesPerWrite, recentEntries,
                payoutsHeld, 0);
        long applied = System.nanoTime();
        LedgerProjection ledger = replayed.ledger();
        try {
            ledger.flush();
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(writer);
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
        out.printf("  last writes (the journal's last batch, the payouts held in memory, the"
                + " balances) and commit: %.2f s%n", (System.nanoTime() - applied) / 1e9);
        out.printf("  reversals: %d found the entry they reverse among the recent entries,"
                + " %d read it back%n", ledger.reversedFoundInMemory(), ledger.reversedReadBack());
        out.printf("  decoding: %d events decoded one by one, the rest with their chunk's"
                + " parser%n", replayed.decodedOneByOne());
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> differences = compare(reader);
        return new Result(differences.isEmpty(), replayed.events(), seconds, differences);
    }

    /**
     * Replays the first {@code events} events exactly as {@link #run} does (the schema made
     * again, the projections writing their last batches), all in one transaction that is then
     * rolled back: the database is left as it was, a replay schema from before included. It
     * is a rehearsal for the JVM only: {@code ./ledger audit replay} runs it once per build to
     * record the classes a replay loads (a class-data archive, which later replays map
     * instead of loading and verifying each class again). Returns the events replayed.
     */
    public static long rehearse(Connection reader, Connection writer, long events)
            throws SQLException {
        if (events <= 0) {
            throw new IllegalArgumentException("a rehearsal replays at least one event");
        }
        PrintStream nowhere = new PrintStream(java.io.OutputStream.nullOutputStream());
        try {
            writer.setAutoCommit(false);
            Replayed replayed = replay(reader, writer, nowhere, LedgerProjection.PENDING_MAX,
                    LedgerProjection.RECENT_ENTRIES, LedgerProjection.PAYOUTS_HELD, events);
            replayed.ledger().flush();
            return replayed.events();
        } finally {
            rollback(writer);
            writer.setAutoCommit(true);
        }
    }

    /** What {@link #replay} leaves for its caller to finish. */
    private record Replayed(LedgerProjection ledger, long events, long decodedOneByOne) {
    }

    /**
     * Makes the schema and applies the events (the first {@code limit}, or all with 0) in the
     * writer's open transaction, neither committed nor rolled back; rolled back on failure.
     * The writer's autocommit is on only while the schema is made, and only if it was on.
     */
    private static Replayed replay(Connection reader, Connection writer, PrintStream out,
            int entriesPerWrite, int recentEntries, int payoutsHeld, long limit)
            throws SQLException {
        long started = System.nanoTime();
        ObjectMapper json = json();
        long events = 0;
        boolean readerAutoCommit = reader.getAutoCommit();
        reader.setAutoCommit(false);
        // The events are read and decoded on a thread of their own, from the start, while this
        // one prepares the schema and then applies them and waits for PostgreSQL to write the
        // read models: the two overlap.
        Decoder decoder = new Decoder(reader, json, limit);
        Thread decoding = new Thread(decoder, "replay-decoder");
        decoding.setDaemon(true);
        decoding.start();
        LedgerProjection ledger;
        try {
            prepareSchema(writer);
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                // For the replay's one transaction only (SET LOCAL): the writer may be a pooled
                // connection, and it is handed back with the settings it came with, whether the
                // replay commits or fails.
                // Read models resolve to the replay schema; the event table to the live one.
                s.execute("SET LOCAL search_path TO " + SCHEMA + ", public");
                // Only the scratch schema is written: nothing here needs to survive a crash.
                s.execute("SET LOCAL synchronous_commit = off");
                // The replay's tables are new and grow within the one transaction, unknown to
                // the planner, which then scanned the journal whole for each reversal's look-up
                // by position: index scans are preferred where there is an index.
                s.execute("SET LOCAL enable_seqscan = off");
            }
            JdbcTemplate replayJdbc = new JdbcTemplate(
                    new SingleConnectionDataSource(writer, true));
            ledger = LedgerProjection.rebuilding(replayJdbc, entriesPerWrite, recentEntries,
                    payoutsHeld);
            List<AnnotationEventHandlerAdapter> handlers = List.of(
                    new AnnotationEventHandlerAdapter(new DirectoryProjection(replayJdbc)),
                    new AnnotationEventHandlerAdapter(ledger));
            // Which projections take an event depends on its payload type only: asked once per
            // type (Axon's search through every handler, per event, was a tenth of this thread).
            Map<Class<?>, List<AnnotationEventHandlerAdapter>> takers = new HashMap<>();
            for (List<EventMessage<?>> chunk = decoder.next(); !chunk.isEmpty();
                    chunk = decoder.next()) {
                for (EventMessage<?> message : chunk) {
                    List<AnnotationEventHandlerAdapter> takersOf = takers.computeIfAbsent(
                            message.getPayloadType(), type -> handlers.stream()
                                    .filter(h -> h.canHandle(message)).toList());
                    for (AnnotationEventHandlerAdapter handler : takersOf) {
                        handler.handle(message);
                    }
                    events++;
                    if (events % PROGRESS_EVERY == 0) {
                        double s = (System.nanoTime() - started) / 1e9;
                        out.printf("  ... %d events replayed (%.0f events/s)%n", events,
                                events / s);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            rollback(writer);
            throw e;
        } catch (Exception e) {
            rollback(writer);
            throw new IllegalStateException("replay failed after " + events + " events", e);
        } finally {
            decoder.stop();
            try {
                decoding.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reader.commit();
            reader.setAutoCommit(readerAutoCommit);
        }
        return new Replayed(ledger, events, decoder.decodedOneByOne);
    }

    /** How the replay reads payloads and metadata. */
    static ObjectMapper json() {
        // Parser buffers from a shared pool: the default thread-local lookup took a tenth of the
        // decoding thread's time.
        return new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.newLockFreePool()).build())
                .registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule().addDeserializer(LocalDate.class,
                        new IsoDates()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * Reads the event table in index order and decodes the rows into event messages, handed
     * over in chunks through a short queue (so at most a few chunks are held in memory). An
     * empty chunk ends the stream; a failure is thrown to the consumer.
     */
    private static final class Decoder implements Runnable {
        private static final int CHUNK = 1_000;
        private static final List<EventMessage<?>> END = List.of();

        private final Connection reader;
        private final ObjectMapper json;
        private final BlockingQueue<List<EventMessage<?>>> chunks = new ArrayBlockingQueue<>(32);
        /** A reader per payload type: a type resolved and a deserializer found once. */
        private final Map<String, ObjectReader> readers = new HashMap<>();
        private final ObjectReader metaReader;
        private volatile boolean stopped;
        private volatile Exception failure;
        /** Events decoded one by one instead of with their chunk's parser; set at the end. */
        private volatile long decodedOneByOne;

        /** At most this many events (the first), or all with 0. */
        private final long limit;

        Decoder(Connection reader, ObjectMapper json, long limit) {
            this.reader = reader;
            this.json = json;
            this.limit = limit;
            this.metaReader = json.readerFor(new TypeReference<Map<String, Object>>() { });
        }

        @Override
        public void run() {
            try (PreparedStatement read = reader.prepareStatement("SELECT globalindex,"
                    + " eventidentifier, payloadtype, payload, metadata, timestamp"
                    + " FROM domainevententry ORDER BY globalindex"
                    + (limit > 0 ? " LIMIT " + limit : ""))) {
                read.setFetchSize(FETCH_ROWS);
                // Rows in binary: payloads arrive as their bytes, not as hex text to decode.
                read.unwrap(PGStatement.class).setPrepareThreshold(-1);
                try (ResultSet rs = read.executeQuery()) {
                    EventChunk chunk = new EventChunk(CHUNK, json, this::reader, metaReader);
                    while (!stopped && rs.next()) {
                        chunk.add(rs.getLong(1), rs.getString(2), rs.getString(3),
                                rs.getBytes(4), rs.getBytes(5), rs.getString(6));
                        if (chunk.isFull()) {
                            hand(chunk.decode());
                        }
                    }
                    if (chunk.size() > 0) {
                        hand(chunk.decode());
                    }
                    decodedOneByOne = chunk.decodedOneByOne();
                }
            } catch (Exception e) {
                failure = e;
            } finally {
                try {
                    hand(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void hand(List<EventMessage<?>> chunk) throws InterruptedException {
            while (!stopped) {
                if (chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }

        /** The next chunk of events; empty at the end. */
        List<EventMessage<?>> next() throws Exception {
            List<EventMessage<?>> chunk = chunks.take();
            if (chunk.isEmpty() && failure != null) {
                throw failure;
            }
            return chunk;
        }

        /** Ends the reading early (the consumer failed); the reading thread then exits. */
        void stop() {
            stopped = true;
            chunks.clear();
        }

        /** The reader of a payload type, found once per type. */
        private ObjectReader reader(String typeName) {
            ObjectReader payloadReader = readers.get(typeName);
            if (payloadReader == null) {
                try {
                    payloadReader = json.readerFor(Class.forName(typeName));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("an event's payload type " + typeName
                            + " is not a class of this ledger", e);
                }
                readers.put(typeName, payloadReader);
            }
            return payloadReader;
        }
    }

    /**
     * Metadata as the service writes it, one object of text values ({@code actor}, trace and
     * correlation ids, the client's transaction id), read token by token; anything else (a
     * number, a nested value) as Jackson reads any map. Binding through Jackson's map reader,
     * with a deserialization context of its own per event, took a fifth of the decoding
     * thread's allocations.
     */
    static Map<String, Object> metaData(byte[] meta, ObjectMapper json, ObjectReader generic)
            throws IOException {
        try (JsonParser parser = json.getFactory().createParser(meta)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> values = textValues(parser);
                if (values != null && parser.nextToken() == null) {
                    return values;
                }
            }
        }
        return generic.readValue(meta);
    }

    /**
     * The object the parser has just started, read up to its end, if its names are distinct and
     * its values text; otherwise null, the parser left somewhere inside it.
     */
    static Map<String, Object> textValues(JsonParser parser) throws IOException {
        Map<String, Object> values = new HashMap<>(8);
        JsonToken token = parser.nextToken();
        while (token == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING
                    || values.put(name, parser.getText()) != null) {
                return null;
            }
            token = parser.nextToken();
        }
        return token == JsonToken.END_OBJECT ? values : null;
    }

    /** Value dates ({@code 2026-03-01}) read without a formatter; anything else as before. */
    private static final class IsoDates extends StdScalarDeserializer<LocalDate> {
        IsoDates() {
            super(LocalDate.class);
        }

        @Override
        public LocalDate deserialize(JsonParser parser, DeserializationContext context)
                throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                String text = parser.getText();
                if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
                    try {
                        return LocalDate.of(EventTimestamps.number(text, 0, 4),
                                EventTimestamps.number(text, 5, 7),
                                EventTimestamps.number(text, 8, 10));
                    } catch (DateTimeException e) {
                        // not a plain ISO date after all: the standard reading reports it
                    }
                }
            }
            return LocalDateDeserializer.INSTANCE.deserialize(parser, context);
        }
    }

    private static void rollback(Connection writer) throws SQLException {
        if (!writer.getAutoCommit()) {
            writer.rollback();
        }
    }

    /**
     * Created without indexes; the rebuilding projection makes the ones it needs (see
     * {@link LedgerProjection#rebuilding}).
     */
    private static final List<String> UNINDEXED_TABLES = List.of("journal_entry", "journal_line",
            "payout_view");

    private static void prepareSchema(Connection writer) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
            // A scratch copy, rebuilt on every run: unlogged (no WAL to write), and with only
            // the unique indexes the projections' ON CONFLICT clauses and lookups rely on. The
            // journal, most of the rows, starts with no index at all; the rebuilding projection
            // indexes it by position when it first reads an entry back (an index costs more to
            // keep up row by row than the rows themselves: 300,000 journal entries took 195 ms
            // to insert into a bare table, 357 ms indexed by position, 1,997 ms with the live
            // table's two unique indexes).
            // The payout register, whose rows a replay holds in memory and writes at the end
            // (173,681 in the bench's store), likewise: its index on payout id is made after
            // its first write, by sorting rather than row by row.
            for (String table : Projections.READ_MODEL_TABLES) {
                s.execute("CREATE UNLOGGED TABLE " + SCHEMA + "." + table + " (LIKE public."
                        + table + (UNINDEXED_TABLES.contains(table)
                                ? " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                                : " INCLUDING ALL)"));
            }
            List<String> secondary = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT i.relname FROM pg_index x"
                    + " JOIN pg_class i ON i.oid = x.indexrelid"
                    + " JOIN pg_namespace n ON n.oid = i.relnamespace"
                    + " WHERE n.nspname = '" + SCHEMA + "' AND NOT x.indisunique")) {
                while (rs.next()) {
                    secondary.add(rs.getString(1));
                }
            }
            for (String index : secondary) {
                s.execute("DROP INDEX " + SCHEMA + ".\"" + index + "\"");
            }
        }
    }

    /** Rows in one table and not in the other, both ways, for every read-model table. */
    static List<String> compare(Connection reader) throws SQLException {
        List<String> differences = new ArrayList<>();
        for (String table : Projections.READ_MODEL_TABLES) {
            differ(reader, table, "public", SCHEMA, "live only", differences);
            differ(reader, table, SCHEMA, "public", "replay only", differences);
        }
        return differences;
    }

    private static void differ(Connection c, String table, String left, String right,
            String label, List<String> differences) throws SQLException {
        String sql = "SELECT row_to_json(x)::text FROM (SELECT * FROM " + left + "." + table
                + " EXCEPT ALL SELECT * FROM " + right + "." + table + ") x LIMIT "
                + (SHOWN_ROWS_MAX + 1);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int shown = 0;
            while (rs.next()) {
                if (shown++ < SHOWN_ROWS_MAX) {
                    differences.add(table + " (" + label + "): " + rs.getString(1));
                } else {
                    differences.add(table + " (" + label + "): ... more rows differ");
                }
            }
        }
    }
}
