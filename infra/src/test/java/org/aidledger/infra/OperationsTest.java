package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Map;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Metrics, health and the API description that operators and client developers rely on. */
class OperationsTest extends LedgerIntegrationTest {

    @Autowired
    EmbeddedEventStore eventStore;

    /**
     * The projections read the event store themselves; none tails Axon's shared cache of recent
     * events, which kept every event since the slowest processor's position in memory and
     * filled the heap taking in ten million events (W5). Reads Axon's private fields: if an
     * upgrade renames them this fails, and the setting needs checking again.
     */
    @Test
    void projectionsHoldNoSharedCacheOfEvents() throws Exception {
        String fundId = openFund("2000.00");
        donate(fundId, "1.00");
        awaitProjections();
        assertThat(field("optimizeEventConsumption")).isEqualTo(false);
        assertThat((Collection<?>) field("tailingConsumers")).isEmpty();
        assertThat(field("oldest")).isNull();
    }

    private Object field(String name) throws ReflectiveOperationException {
        Field f = EmbeddedEventStore.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(eventStore);
    }

    @Test
    void prometheusShowsAxonAndLedgerMetrics() {
        String fundId = openFund("2000.00");
        donate(fundId, "1.00");
        post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/donations",
                Map.of("donorType", "COMPANY", "amount", "1.00", "currency", "USD"));
        awaitProjections();
        String metrics = get(null, "/actuator/prometheus").raw();
        assertThat(metrics).contains("commandBus_", "eventProcessor_");
        // Counters, timers and latency per processor, but not Axon's capacity monitor, whose
        // window grew without bound on long runs (EventProcessorMonitoring).
        assertThat(metrics).containsPattern("eventProcessor_processedCounter_total\\{[^}]*"
                + "eventProcessor=\"ledger\"[^}]*} \\d");
        assertThat(metrics).containsPattern("eventProcessor_latency\\{[^}]*"
                + "eventProcessor=\"ledger\"");
        assertThat(metrics).doesNotContain("eventProcessor_capacity");
        // The command bus, per command: the refused USD donation counts as a failure.
        assertThat(metrics).containsPattern("commandBus_successCounter_total\\{[^}]*"
                + "payloadType=\"RecordDonation\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("commandBus_failureCounter_total\\{[^}]*"
                + "payloadType=\"RecordDonation\"[^}]*} [1-9]");
        assertThat(metrics).doesNotContain("commandBus_capacity");
        assertThat(metrics).containsPattern("eventStore_successCounter_total\\{[^}]*"
                + "payloadType=\"DonationReceived\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern(
                "ledger_commands_accepted_total\\{command=\"RecordDonation\"[^}]*} \\d");
        assertThat(metrics).containsPattern("ledger_commands_refused_total\\{[^}]*"
                + "rule=\"CURRENCY_MISMATCH\"[^}]*} \\d");
        assertThat(metrics).containsPattern("ledger_events_appended_total(\\{[^}]*})? \\d");
        // Requests are timed as a whole, refusals by their status (Spring Security's own
        // observations are off: SecurityConfiguration).
        assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*"
                + "status=\"4\\d\\d\"[^}]*uri=\"/api/v1/funds/\\{fundId}/donations\"");
    }

    @Test
    void healthIncludesTheDatabase() {
        Answer health = get(null, "/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("components").get("db").get("status").asText())
                .isEqualTo("UP");
    }

    @Test
    void openApiDescribesTheCommandsAndQueries() {
        Answer docs = get(null, "/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("paths").has("/api/v1/funds/{fundId}/donations")).isTrue();
        assertThat(docs.body().get("paths").has("/api/v1/funds/{fundId}/balances")).isTrue();
        assertThat(get(null, "/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
