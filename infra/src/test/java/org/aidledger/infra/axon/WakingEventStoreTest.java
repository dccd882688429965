package org.aidledger.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aidledger.infra.axon.WakingEventStore.LocalCommits;
import org.aidledger.infra.axon.WakingEventStore.WakingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.junit.jupiter.api.Test;

/**
 * When a caught-up projection's stream asks the store again: at once after a commit on this
 * node, otherwise only once per poll interval; and every time while it is behind.
 */
class WakingEventStoreTest {

    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final Store store = new Store();
    private final LocalCommits commits = new LocalCommits();

    @Test
    void aCaughtUpStreamDoesNotAskTheStoreAgainBeforeACommitOrThePoll() throws Exception {
        WakingStream stream = new WakingStream(store, commits, HOUR_NANOS);

        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.peek()).isEmpty();
        assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();

        assertThat(store.looks.get()).as("looks at the store").isEqualTo(1);
    }

    @Test
    void aCommitOnThisNodeIsSeenAtOnce() throws Exception {
        WakingStream stream = new WakingStream(store, commits, HOUR_NANOS);
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();

        store.append(1);
        commits.signal();

        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(store.looks.get()).as("looks at the store").isEqualTo(2);
        assertThat(stream.nextAvailable().trackingToken())
                .isEqualTo(new GlobalSequenceTrackingToken(1));
    }

    @Test
    void aWaitingStreamWakesWhenThisNodeCommits() throws Exception {
        WakingStream stream = new WakingStream(store, commits, HOUR_NANOS);
        CountDownLatch waiting = new CountDownLatch(1);
        List<Boolean> answers = new ArrayList<>();
        Thread projection = new Thread(() -> {
            try {
                assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
                waiting.countDown();
                answers.add(stream.hasNextAvailable(1, TimeUnit.HOURS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        projection.start();
        waiting.await();

        store.append(1);
        commits.signal();

        assertTimeoutPreemptively(LIMIT, () -> projection.join());
        assertThat(answers).containsExactly(true);
    }

    @Test
    void anotherNodesEventIsSeenAtTheNextPoll() throws Exception {
        WakingStream stream = new WakingStream(store, commits, TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();

        store.append(1); // no commit on this node

        boolean seen = assertTimeoutPreemptively(LIMIT,
                () -> stream.hasNextAvailable(1, TimeUnit.HOURS));
        assertThat(seen).isTrue();
        assertThat(stream.nextAvailable().trackingToken())
                .isEqualTo(new GlobalSequenceTrackingToken(1));
    }

    @Test
    void aStreamThatIsBehindReadsEveryEventWithoutWaiting() throws Exception {
        store.append(1);
        store.append(2);
        store.append(3);
        WakingStream stream = new WakingStream(store, commits, HOUR_NANOS);

        List<Long> read = new ArrayList<>();
        assertTimeoutPreemptively(LIMIT, () -> {
            while (stream.peek().isPresent()) {
                read.add(stream.nextAvailable().trackingToken().position().orElseThrow());
            }
        });

        assertThat(read).containsExactly(1L, 2L, 3L);
    }

    /** The store's stream as the storage engine gives it: each look may find new events. */
    private static final class Store implements TrackingEventStream {

        final AtomicInteger looks = new AtomicInteger();
        private final ConcurrentLinkedQueue<TrackedEventMessage<?>> events =
                new ConcurrentLinkedQueue<>();

        void append(long index) {
            events.add(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(index),
                    GenericEventMessage.asEventMessage("event " + index)));
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            looks.incrementAndGet();
            return Optional.ofNullable(events.peek());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            looks.incrementAndGet();
            return !events.isEmpty();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            return events.remove();
        }

        @Override
        public void close() {
        }
    }
}
