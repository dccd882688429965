package org.aidledger.command.support;

import java.time.Clock;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the command side's cross-cutting parts into Axon. */
@Configuration
public class CommandSideConfiguration {

    /** Copies the acting user and client transaction id from each command onto its events. */
    @Bean
    public CorrelationDataProvider actorCorrelation() {
        return new SimpleCorrelationDataProvider(Actor.KEY, Actor.CLIENT_TRANSACTION_ID);
    }

    @Bean
    public CorrelationDataProvider messageOrigin() {
        return new MessageOriginProvider();
    }

    /**
     * Keeps loaded funds in memory so a command does not replay a fund's whole history. A cached
     * fund is used only while no other node has appended to it (checked per command); a fund
     * changed by another node between that check and the append fails on the sequence number and
     * is refused as CONCURRENT_MODIFICATION, never applied twice.
     */
    @Bean
    public org.axonframework.common.caching.Cache fundCache(
            org.springframework.jdbc.core.JdbcTemplate jdbc) {
        return new CheckedAggregateCache(new org.axonframework.common.caching.WeakReferenceCache(),
                jdbc);
    }

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemDefaultZone();
    }
}
