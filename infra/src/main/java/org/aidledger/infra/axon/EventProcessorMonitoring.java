package org.aidledger.infra.axon;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The metrics of the event processors, the command bus and the event store, by
 * {@link LeanMessageMonitor}: Axon's counters, timer and (for processors) latency, without Axon's
 * capacity monitor and without building each meter again for every message.
 *
 * <p>The capacity monitor keeps one entry per processed event in a sliding-window map that, on
 * a long run, grew by one entry per event and was never trimmed: taking in ten million seeded
 * events, the ledger projection slowed from about 6,000 events/s to under 100 (a batch of 100
 * events took 12 to 22 s, close to Axon's 60 s unit-of-work timeout), with its thread inside
 * {@code SlidingTimeWindowReservoir.trim}. A heap histogram showed the map growing by about
 * 6,000 entries a second. A restarted service ran at full speed again.
 */
@Configuration(proxyBeanMethods = false)
public class EventProcessorMonitoring {

    @Bean
    public ConfigurerModule leanAxonMetrics(MeterRegistry registry) {
        return new ConfigurerModule() {
            @Override
            public void configureModule(Configurer configurer) {
                // A monitor for a type takes precedence over Axon's default monitor factory.
                configurer.configureMessageMonitor(TrackingEventProcessor.class,
                        (configuration, componentType, name) -> new LeanMessageMonitor(registry,
                                "eventProcessor", Tags.of("eventProcessor", name), null, true));
                configurer.configureMessageMonitor(CommandBus.class,
                        (configuration, componentType, name) -> new LeanMessageMonitor(registry,
                                "commandBus", Tags.empty(), "payloadType", false));
                configurer.configureMessageMonitor(EventStore.class,
                        (configuration, componentType, name) -> new LeanMessageMonitor(registry,
                                "eventStore", Tags.empty(), "payloadType", false));
            }

            @Override
            public int order() {
                return Integer.MAX_VALUE;
            }
        };
    }
}
