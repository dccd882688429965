package org.aidledger.infra.axon;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * The embedded event store without Axon's shared cache of recent events (see
 * {@link AxonConfiguration#eventStore}), whose tracking streams look at the store again as soon
 * as this node commits events, and otherwise every {@code pollMs}, for events other nodes append.
 * <p>
 * Without the shared cache nothing wakes a caught-up stream when a command appends; it used to
 * look again every 50 ms. Two projections doing that cost an idle service some 200 statements a
 * second (a look is a transaction of five), which woke the service and PostgreSQL on a machine
 * shared with other work: an auditor's replay beside an idle service ran 7 % slower than with the
 * service paused. Now an idle node looks only every {@code pollMs}, and a balance read just after
 * a command on the same node shows it as soon as the projection has applied it.
 */
@SuppressWarnings("deprecation") // EmbeddedEventStore is Axon 4's event store; see its javadoc
final class WakingEventStore extends EmbeddedEventStore {

    private final LocalCommits commits = new LocalCommits();
    private final long pollNanos;

    WakingEventStore(Builder builder, long pollMs) {
        super(builder.optimizeEventConsumption(false));
        if (pollMs <= 0) {
            throw new IllegalArgumentException("pollMs must be positive, was " + pollMs);
        }
        this.pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMs);
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        commits.signal();
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new WakingStream(super.openStream(trackingToken), commits, pollNanos);
    }

    /** Counts this node's commits of events and wakes whoever waits for the next one. */
    static final class LocalCommits {

        private final ReentrantLock lock = new ReentrantLock();
        private final Condition committed = lock.newCondition();
        private volatile long count;

        long count() {
            return count;
        }

        void signal() {
            lock.lock();
            try {
                count++;
                committed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Returns when the count is no longer {@code seen} or after {@code nanos}. */
        void awaitAfter(long seen, long nanos) throws InterruptedException {
            lock.lock();
            try {
                long left = nanos;
                while (count == seen && left > 0) {
                    left = committed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * A tracking stream that, once it has found nothing new, asks the store again only after a
     * local commit or {@code pollNanos}. While it is behind every call goes to the store's
     * stream, which reads the store in batches.
     */
    static final class WakingStream implements TrackingEventStream {

        private final TrackingEventStream delegate;
        private final LocalCommits commits;
        private final long pollNanos;
        private boolean caughtUp;
        private long commitsAtLastLook;
        private long lastEmptyLookNanos;

        WakingStream(TrackingEventStream delegate, LocalCommits commits, long pollNanos) {
            this.delegate = delegate;
            this.commits = commits;
            this.pollNanos = pollNanos;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                long now = System.nanoTime();
                // Read before looking: a commit during the look changes the count, so the next
                // round looks again instead of waiting for the poll.
                long seen = commits.count();
                boolean pollDue = now - lastEmptyLookNanos >= pollNanos;
                if (!caughtUp || seen != commitsAtLastLook || pollDue) {
                    commitsAtLastLook = seen;
                    if (delegate.hasNextAvailable(0, TimeUnit.MILLISECONDS)) {
                        caughtUp = false;
                        return true;
                    }
                    caughtUp = true;
                    lastEmptyLookNanos = now;
                }
                long untilDeadline = deadline - System.nanoTime();
                if (untilDeadline <= 0) {
                    return false;
                }
                long untilPoll = lastEmptyLookNanos + pollNanos - System.nanoTime();
                commits.awaitAfter(seen, Math.min(untilDeadline, untilPoll));
            }
        }

        /** Without waiting; once caught up, asks the store only when hasNextAvailable would. */
        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            try {
                return hasNextAvailable(0, TimeUnit.MILLISECONDS) ? delegate.peek()
                        : Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (!hasNextAvailable(Integer.MAX_VALUE, TimeUnit.MILLISECONDS)) {
                // keep waiting: a caller of nextAvailable waits for as long as it takes
            }
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
