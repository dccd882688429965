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

    private final EventProcessingConfiguration processing;
    private final EventStore eventStore;

    public Projections(EventProcessingConfiguration processing, EventStore eventStore) {
        this.processing = processing;
        this.eventStore = eventStore;
    }

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
        long head = position(eventStore.createHeadToken());
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String group : GROUPS) {
            while (position(group) < head) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("projection " + group + " is at "
                            + position(group) + ", behind the event store head " + head
                            + " after " + timeout);
                }
                sleep();
            }
        }
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
