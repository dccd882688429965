package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Auditors only read. Every write endpoint the API describes, found from the OpenAPI document so
 * that a new endpoint is covered without editing this test, refuses the AUDITOR role and writes
 * nothing.
 */
class AuditorRoleMatrixTest extends LedgerIntegrationTest {

    /** Operations an auditor may call although they are POSTs: they compute, never write. */
    private static final List<String> READ_ONLY_POSTS = List.of("/api/v1/audit/verify");

    @Test
    void everyWriteEndpointRefusesTheAuditor() {
        String fundId = openFund("2000.00");
        donate(fundId, "100.00");
        awaitProjections();
        JsonNode paths = ok(get(null, "/v3/api-docs")).body().get("paths");
        List<String> writes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : List.of("post", "put", "patch", "delete")) {
                if (path.getValue().has(method) && !READ_ONLY_POSTS.contains(path.getKey())) {
                    writes.add(method.toUpperCase() + " " + path.getKey());
                }
            }
        }
        assertThat(writes).as("write endpoints found").hasSizeGreaterThanOrEqualTo(14);
        assertThat(writes).allMatch(w -> w.startsWith("POST "));

        long events = eventCount();
        long clientTransactions = jdbc.queryForObject(
                "SELECT count(*) FROM client_transaction", Long.class);
        List<String> readModel = readModelOf(fundId);
        for (String write : writes) {
            String path = write.substring("POST ".length()).replace("{fundId}", fundId)
                    .replace("{partnerId}", id("cu")).replaceAll("\\{[^}]+}", "x-1");
            Answer answer = post(AUDITOR, newTx(), path, Map.of());
            assertThat(answer.status()).as(write + ": " + answer.raw()).isEqualTo(403);
            assertThat(answer.rule()).as(write).isEqualTo("ROLE_NOT_PERMITTED");
        }
        assertThat(eventCount()).isEqualTo(events);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM client_transaction", Long.class))
                .isEqualTo(clientTransactions);
        assertThat(readModelOf(fundId)).isEqualTo(readModel);
    }
}
