package org.aidledger.infra.axon;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aidledger.infra.audit.ChainedEventStorageEngine;
import org.aidledger.query.directory.DirectoryProjection;
import org.aidledger.query.journal.LedgerProjection;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Axon settings that are choices of this ledger rather than defaults. */
@Configuration
public class AxonConfiguration {

    /** The longest a projection's processor waits for events before it looks after itself. */
    static final long EVENT_WAIT_MS_MAX = 1_000;

    /**
     * How the ledger's transactions (a group of commands, a projection's batch, the event
     * store's reads for the projections) have PostgreSQL plan their statements: each statement
     * once per connection, for reaching its rows by an index, and that plan kept. Every
     * statement in them is a keyed insert, update or look-up, or a read of the event table by
     * position.
     *
     * <p>What went wrong before. A new ledger's tables grow far faster than autovacuum analyses
     * them, and a prepared statement's generic plan, made while a table was tiny, scanned the
     * whole table until the next analysis: the event table for event ids, journal_entry for each
     * journal line's foreign-key check, payout_view for each payout updated (9-12 ms a statement
     * instead of a few hundredths; W1 1,357 to 1,881 commands/s when it was cured). That was cured first by planning every execution for its
     * own parameters ({@code force_custom_plan}), which made PostgreSQL plan every statement:
     * 5.8 s of planning against 12.0 s of executing in 30 s of W1 ({@code pg_stat_statements}),
     * a quarter of PostgreSQL's CPU. And a range read of the event table by position ({@code
     * globalIndex > ? AND globalIndex <= ?}) cannot be costed by a generic plan that does not
     * know how narrow the range is, so PostgreSQL's default goes on planning it on every call
     * (128 us a time).
     *
     * <p>So whole-table scans are ruled out where an index can serve ({@code enable_seqscan =
     * off}: a cost, not a ban, so a statement with no index still runs) and every statement
     * keeps the one plan made for it ({@code force_generic_plan}). Set locally, so reads outside
     * these transactions (balances over REST and gRPC, reports that may want to scan) keep the
     * defaults.
     */
    @Bean
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactions,
            JdbcTemplate jdbc) {
        SpringTransactionManager spring = new SpringTransactionManager(transactions);
        return () -> {
            boolean outermost = !TransactionSynchronizationManager.isActualTransactionActive();
            Transaction transaction = spring.startTransaction();
            if (outermost) {
                try {
                    jdbc.execute("SET LOCAL enable_seqscan = off;"
                            + " SET LOCAL plan_cache_mode = force_generic_plan");
                } catch (RuntimeException e) {
                    transaction.rollback();
                    throw e;
                }
            }
            return transaction;
        };
    }

    /**
     * Axon's JDBC event store as its auto-configuration builds it, except that every append is
     * also linked into the audit hash chain in the same transaction.
     */
    @Bean
    public EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            org.axonframework.config.Configuration configuration,
            ConnectionProvider connectionProvider, TransactionManager transactionManager,
            @org.springframework.beans.factory.annotation.Value(
                    "${ledger.events.gap-timeout-ms:600000}") int gapTimeoutMs) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                // A gap in the global index is an append not yet committed. Axon gives up on a
                // gap after this long and a late commit would then never be projected, so it is
                // kept ten times longer than any transaction of ours may live (see
                // spring.datasource.hikari.connection-init-sql).
                .gapTimeout(gapTimeoutMs)
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(new EventSchema());
        return new ChainedEventStorageEngine(builder, connectionProvider);
    }

    /**
     * How a duplicate append (two commands on one fund at once) is recognised, as Axon's JDBC
     * auto-configuration would provide it; that configuration steps back once the event store
     * below is defined here.
     */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new JdbcSQLErrorCodesResolver();
    }

    /**
     * The event store as Axon's auto-configuration builds it, without its shared cache of recent
     * events ("optimised event consumption"). With that cache a processor that fell far behind
     * kept every event read since in memory: taking in ten million seeded events (W5), the
     * ledger projection lagged the directory projection by millions of events and the heap filled
     * with 4.58 million cached events until the service did nothing but full collections (Axon
     * issue #2954). Each processor now reads the store on its own, and once caught up looks
     * again when this node commits events or after {@code ledger.projections.poll-ms} (for
     * events appended by other nodes); see {@link WakingEventStore}.
     */
    @Bean
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
            org.axonframework.config.Configuration configuration,
            @org.springframework.beans.factory.annotation.Value(
                    "${ledger.projections.poll-ms:250}") long pollMs) {
        return new WakingEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class)), pollMs);
    }

    /**
     * The two projections: tracking, up to 100 events per transaction (a projection that
     * committed per event fell a minute behind W1), entries keyed by event id so a retried batch
     * is harmless. A processor waits for events at most a poll interval and never more than
     * {@link #EVENT_WAIT_MS_MAX} at a time, so that it soon notices a stop or a lost claim.
     */
    @Bean
    public ConfigurerModule projectionProcessors(
            @org.springframework.beans.factory.annotation.Value(
                    "${ledger.projections.poll-ms:250}") long pollMs) {
        return configurer -> {
            for (String group : List.of(LedgerProjection.GROUP, DirectoryProjection.GROUP)) {
                configurer.eventProcessing().registerTrackingEventProcessor(group,
                        org.axonframework.config.Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(100)
                                .andEventAvailabilityTimeout(Math.min(pollMs, EVENT_WAIT_MS_MAX),
                                        TimeUnit.MILLISECONDS));
            }
        };
    }

    /**
     * A projection that fails on an event must not skip it (Axon's default logs and moves on,
     * which would leave a balance silently wrong). Propagating the error makes the processor
     * roll back and retry that batch with back-off until the cause is fixed.
     */
    @Bean
    public ConfigurerModule failLoudlyInProjections() {
        return configurer -> configurer.eventProcessing()
                .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
    }
}
