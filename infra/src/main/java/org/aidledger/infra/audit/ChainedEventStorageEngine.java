package org.aidledger.infra.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/**
 * Axon's JDBC event store, with every batch of appended events linked into the hash chain on the
 * same connection before the transaction commits.
 */
public class ChainedEventStorageEngine extends JdbcEventStorageEngine {

    private final ConnectionProvider connections;

    public ChainedEventStorageEngine(Builder builder, ConnectionProvider connections) {
        super(builder);
        this.connections = connections;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events,
            org.axonframework.serialization.Serializer serializer) {
        super.appendEvents(events, serializer);
        if (events.isEmpty()) {
            return;
        }
        List<String> ids = events.stream().map(EventMessage::getIdentifier).toList();
        try {
            Connection connection = connections.getConnection();
            try {
                EventChain.link(connection, ids);
            } finally {
                // The provider hands out the transaction's connection; closing our handle on it
                // returns it to the unit of work, it does not end the transaction.
                connection.close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not link events into the audit chain", e);
        }
    }
}
