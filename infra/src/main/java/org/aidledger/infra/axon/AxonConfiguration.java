package org.aidledger.infra.axon;

import org.aidledger.infra.audit.ChainedEventStorageEngine;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon settings that are choices of this ledger rather than defaults. */
@Configuration
public class AxonConfiguration {

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
