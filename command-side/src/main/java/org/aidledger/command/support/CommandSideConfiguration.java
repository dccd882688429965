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
     * is refused as CONCURRENT_MODIFICATION, never applied twice. Up to
     * {@code ledger.command.fund-cache-size} funds are held by strong reference (see LruCache
     * for why not Axon's weak-reference cache).
     */
    @Bean
    public CheckedAggregateCache fundCache(
            org.springframework.jdbc.core.JdbcTemplate jdbc,
            @org.springframework.beans.factory.annotation.Value(
                    "${ledger.command.fund-cache-size:1000}") int size) {
        return new CheckedAggregateCache(new LruCache(size), jdbc);
    }

    /** How a command names its fund, found once per command class (see the class). */
    @Bean
    public org.axonframework.modelling.command.CommandTargetResolver commandTargets() {
        return new CachedCommandTargetResolver();
    }

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemDefaultZone();
    }
}
