package org.aidledger.infra.axon;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon settings that are choices of this ledger rather than defaults. */
@Configuration
public class AxonConfiguration {

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
