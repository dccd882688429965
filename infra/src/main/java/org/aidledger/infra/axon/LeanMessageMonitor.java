package org.aidledger.infra.axon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

/**
 * Axon's message metrics under Axon's names ({@code <prefix>.ingestedCounter},
 * {@code .processedCounter}, {@code .successCounter}, {@code .failureCounter},
 * {@code .ignoredCounter}, {@code .allTimer} and, for event processors, {@code .latency}),
 * with each meter looked up once per payload type and kept, instead of built and looked up in
 * the registry for every message as Axon's micrometer monitors do. Those monitors took 18 % of
 * the command writer's time and 15 % of the ledger projection's under W1 (the timers with their
 * percentile histograms, the tag comparisons of each look-up and the capacity monitor's sliding
 * window). The timer keeps count, total and maximum, without percentiles.
 */
final class LeanMessageMonitor implements MessageMonitor<Message<?>> {

    private final MeterRegistry registry;
    private final String prefix;
    private final Tags tags;
    private final String payloadTag;
    private final ConcurrentHashMap<Class<?>, Meters> byType = new ConcurrentHashMap<>();
    private final AtomicLong latencyMs;

    /**
     * @param payloadTag the tag naming each message's payload type, or null to count all
     *                   messages together
     * @param latency    whether to publish {@code <prefix>.latency}: how old, in milliseconds,
     *                   the last event handled was when it was handled
     */
    LeanMessageMonitor(MeterRegistry registry, String prefix, Tags tags, String payloadTag,
            boolean latency) {
        this.registry = registry;
        this.prefix = prefix;
        this.tags = tags;
        this.payloadTag = payloadTag;
        if (latency) {
            this.latencyMs = new AtomicLong();
            Gauge.builder(prefix + ".latency", latencyMs, AtomicLong::get).tags(tags)
                    .description("age in milliseconds of the last event handled, when handled")
                    .register(registry);
        } else {
            this.latencyMs = null;
        }
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Meters m = byType.computeIfAbsent(payloadTag == null ? Object.class
                : message.getPayloadType(), this::meters);
        m.ingested.increment();
        if (latencyMs != null && message instanceof EventMessage<?> event) {
            latencyMs.set(Math.max(0,
                    System.currentTimeMillis() - event.getTimestamp().toEpochMilli()));
        }
        long start = System.nanoTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                done(m.success);
            }

            @Override
            public void reportFailure(Throwable cause) {
                done(m.failure);
            }

            @Override
            public void reportIgnored() {
                done(m.ignored);
            }

            private void done(Counter outcome) {
                m.timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                m.processed.increment();
                outcome.increment();
            }
        };
    }

    private Meters meters(Class<?> type) {
        Tags t = payloadTag == null ? tags : tags.and(payloadTag, type.getSimpleName());
        return new Meters(counter("ingestedCounter", t), counter("processedCounter", t),
                counter("successCounter", t), counter("failureCounter", t),
                counter("ignoredCounter", t),
                Timer.builder(prefix + ".allTimer").tags(t).register(registry));
    }

    private Counter counter(String name, Tags t) {
        return Counter.builder(prefix + "." + name).tags(t).register(registry);
    }

    private record Meters(Counter ingested, Counter processed, Counter success, Counter failure,
            Counter ignored, Timer timer) {
    }
}
