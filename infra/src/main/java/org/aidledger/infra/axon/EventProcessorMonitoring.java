package org.aidledger.infra.axon;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.Function;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The event processors' metrics: Axon's counters, timers and latency, without its capacity
 * monitor. That monitor keeps one entry per processed event in a sliding-window map that, on a
 * long run, grew by one entry per event and was never trimmed: taking in ten million seeded
 * events, the ledger projection slowed from about 6,000 events/s to under 100 (a batch of 100
 * events took 12 to 22 s, close to Axon's 60 s unit-of-work timeout), with its thread inside
 * {@code SlidingTimeWindowReservoir.trim}. A heap histogram showed the map growing by about
 * 6,000 entries a second. A restarted service ran at full speed again.
 */
@Configuration(proxyBeanMethods = false)
public class EventProcessorMonitoring {

    private static final String PREFIX = "eventProcessor";

    @Bean
    public ConfigurerModule eventProcessorMetricsWithoutCapacity(MeterRegistry registry) {
        return new ConfigurerModule() {
            @Override
            public void configureModule(Configurer configurer) {
                // A monitor for this type takes precedence over Axon's default monitor factory.
                configurer.configureMessageMonitor(TrackingEventProcessor.class,
                        (configuration, componentType, name) -> asMessageMonitor(
                                monitor(registry, name)));
            }

            @Override
            public int order() {
                return Integer.MAX_VALUE;
            }
        };
    }

    /** An event processor hands its monitor event messages only. */
    @SuppressWarnings("unchecked")
    private static MessageMonitor<Message<?>> asMessageMonitor(MessageMonitor<?> monitor) {
        return (MessageMonitor<Message<?>>) monitor;
    }

    private static MultiMessageMonitor<EventMessage<?>> monitor(MeterRegistry registry,
            String name) {
        Function<Message<?>, Iterable<Tag>> tags = message -> Tags.of(PREFIX, name);
        List<MessageMonitor<? super EventMessage<?>>> monitors = List.of(
                MessageTimerMonitor.buildMonitor(PREFIX, registry, tags),
                EventProcessorLatencyMonitor.builder().meterNamePrefix(PREFIX)
                        .meterRegistry(registry).tagsBuilder(tags).build(),
                MessageCountingMonitor.buildMonitor(PREFIX, registry, tags));
        return new MultiMessageMonitor<>(monitors);
    }
}
