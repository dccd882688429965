package org.aidledger.command.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Registers the idempotency interceptor on the command bus and counts appended events. Kept
 * apart from {@link CommandSideConfiguration}, whose beans Axon needs before the bus exists.
 */
@Component
public class CommandBusInterceptors {

    @Autowired
    public void registerInterceptors(CommandBus commandBus, EventStore eventStore,
            JdbcTemplate jdbc, ObjectMapper json, MeterRegistry meters) {
        commandBus.registerHandlerInterceptor(new ClientTransactions(jdbc, json, meters));
        Counter appended = meters.counter("ledger.events.appended");
        // Counted only once the transaction that appends them commits, so refusals count nothing.
        eventStore.registerDispatchInterceptor(events -> {
            int count = events.size();
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(u -> appended.increment(count));
            } else {
                appended.increment(count);
            }
            return (i, e) -> e;
        });
    }
}
