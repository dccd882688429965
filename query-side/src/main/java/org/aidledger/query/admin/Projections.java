package org.aidledger.query.admin;

import java.time.Duration;
import java.util.List;
import org.aidledger.query.directory.DirectoryProjection;
import org.aidledger.query.journal.LedgerProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the read models from the first event and tells when the projections have caught up
 * with the event store. A rebuild stops each processor, empties its read models through its reset
 * handler, rewinds its token and starts it again; the events are never touched.
 */
@Component
public class Projections {

    private static final Logger log = LoggerFactory.getLogger(Projections.class);
    /** Every processing group that owns read models. */
    public static final List<String> GROUPS =
            List.of(LedgerProjection.GROUP, DirectoryProjection.GROUP);
    /** Every read-model table, in an order in which they can be created and compared. */
    public static final List<String> READ_MODEL_TABLES = List.of("union_body_view",
            "partner_view", "fund_view", "journal_entry", "journal_line", "account_balance",
            "payout_view", "period_close", "period_statement", "loan_view", "loan_instalment",
            "loan_payment", "subsidised_loan_view", "subsidised_instalment", "subsidy_payment",
            "loan_overdue", "subsidy_shortfall");
    private static final long POLL_MS = 50;
    /**
     * The shape of the read models this code fills. Raise it with every migration that adds or
     * changes a read model, so that existing databases are rebuilt from their events at start
     * instead of keeping tables that miss what was projected before the table existed.
     */
    public static final int READ_MODEL_VERSION = 11;
    /** How long the start-up rebuild may take before the service gives up starting. */
    private static final Duration STARTUP_REBUILD_WAIT = Duration.ofHours(1);

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;

    public Projections(EventProcessingConfiguration processing, EventStore eventStore,
            JdbcTemplate jdbc) {
        this.processing = processing;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
    }

    /**
     * Rebuilds the read models once when they were filled by an older shape of this code. An
     * advisory lock keeps two nodes starting together from rebuilding at the same time.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void rebuildIfReadModelsChanged() {
        Integer stored = jdbc.query("SELECT version FROM read_model_version WHERE id = 1",
                rs -> rs.next() ? rs.getInt(1) : null);
        if (stored != null && stored == READ_MODEL_VERSION) {
            return;
        }
        // A session lock on a connection of its own, outside any transaction, so that it is
        // released on the connection that took it and no transaction stays open meanwhile.
        try (java.sql.Connection lock = jdbc.getDataSource().getConnection();
                java.sql.Statement s = lock.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + REBUILD_LOCK + ")");
            try {
                stored = jdbc.query("SELECT version FROM read_model_version WHERE id = 1",
                        rs -> rs.next() ? rs.getInt(1) : null);
                if (position(eventStore.createHeadToken()) < 0) {
                    // No event yet: the read models are empty and already of this shape.
                    log.info("read models set to version {} on an empty event store",
                            READ_MODEL_VERSION);
                } else if (stored == null || stored != READ_MODEL_VERSION) {
                    log.info("read models are version {}, this code fills version {}:"
                            + " rebuilding them from the events", stored, READ_MODEL_VERSION);
                    rebuild(STARTUP_REBUILD_WAIT);
                }
                if (stored == null || stored != READ_MODEL_VERSION) {
                    jdbc.update("INSERT INTO read_model_version (id, version) VALUES (1, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version",
                            READ_MODEL_VERSION);
                }
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + REBUILD_LOCK + ")");
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not check the read models' version", e);
        }
    }

    /** The advisory lock id that serialises start-up rebuilds across nodes. */
    private static final long REBUILD_LOCK = 8_642_001L;

    /** Empties every read model and replays all events into it; returns once caught up. */
    public synchronized void rebuild(Duration timeout) {
        for (String group : GROUPS) {
            StreamingEventProcessor processor = processor(group);
            log.info("rebuilding projection {}", group);
            processor.shutDown();
            processor.resetTokens();
            processor.start();
        }
        awaitCaughtUp(timeout);
    }

    /**
     * Waits until every projection has processed every event appended before this call.
     *
     * @throws IllegalStateException when they have not caught up within the timeout
     */
    public void awaitCaughtUp(Duration timeout) {
        TrackingToken head = eventStore.createHeadToken();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String group : GROUPS) {
            // A token's position is the highest index it has seen; an event committed out of
            // order below it is a gap the token still waits for. Caught up means the token
            // covers the head: every event up to it handled, no gap left below.
            while (!covers(group, head)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("projection " + group + " is at "
                            + position(group) + ", not yet covering the event store head "
                            + position(head) + " after " + timeout);
                }
                sleep();
            }
        }
    }

    /**
     * Whether every event committed up to the head has been handled: the token has reached the
     * head, and none of the gaps it still waits for is an event that has committed meanwhile. A
     * gap left by a rolled-back transaction never fills, so it does not count.
     */
    private boolean covers(String group, TrackingToken head) {
        long headIndex = position(head);
        var status = processor(group).processingStatus();
        if (status.isEmpty()) {
            return headIndex < 0;
        }
        for (var segment : status.values()) {
            TrackingToken token = segment.getTrackingToken() == null ? null
                    : org.axonframework.eventhandling.WrappedToken.unwrapLowerBound(
                            segment.getTrackingToken());
            if (token == null) {
                if (headIndex >= 0) {
                    return false;
                }
                continue;
            }
            if (token.position().orElse(-1) < headIndex) {
                return false;
            }
            if (token instanceof org.axonframework.eventhandling.GapAwareTrackingToken gapAware
                    && !gapAware.getGaps().isEmpty()) {
                Long[] gaps = gapAware.getGaps().stream().filter(g -> g <= headIndex)
                        .toArray(Long[]::new);
                if (gaps.length > 0 && Boolean.TRUE.equals(jdbc.query(
                        "SELECT EXISTS (SELECT 1 FROM domainevententry WHERE globalindex = ANY (?))",
                        rs -> rs.next() && rs.getBoolean(1),
                        (Object) gaps))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The lowest position any segment of the group has processed; -1 before the first event. */
    public long position(String group) {
        return processor(group).processingStatus().values().stream()
                .mapToLong(s -> s.getCurrentPosition().orElse(-1))
                .min().orElse(-1);
    }

    private StreamingEventProcessor processor(String group) {
        return processing.eventProcessor(group, StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no processor " + group));
    }

    private static long position(TrackingToken token) {
        return token == null ? -1 : token.position().orElse(-1);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for projections", e);
        }
    }
}
