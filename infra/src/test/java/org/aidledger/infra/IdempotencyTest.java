package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A client transaction id makes a write happen once, however often it is sent. */
class IdempotencyTest extends LedgerIntegrationTest {

    @Test
    void repeatedRequestReturnsTheFirstOutcomeAndWritesNothing() {
        String fundId = openFund("2000.00");
        String tx = newTx();
        Map<String, Object> body = Map.of("donorType", "COMPANY", "amount", "50.00",
                "currency", "CNY");
        Answer first = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations", body);
        long events = eventCount(fundId);
        Answer again = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations", body);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(eventCount(fundId)).isEqualTo(events);
        assertThat(balances(fundId).get("cash").asText()).isEqualTo("50.00");
    }

    @Test
    void payoutRepeatAnswersWithTheFirstStatus() {
        String fundId = openFund("100.00");
        donate(fundId, "500.00");
        String tx = newTx();
        Map<String, Object> body = Map.of("beneficiaryId", "ben-3", "category", "EDUCATION",
                "amount", "150.00", "currency", "CNY", "reason", "school fees");
        Answer first = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/payouts", body);
        Answer again = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/payouts", body);
        assertThat(first.body().get("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(again.body()).isEqualTo(first.body());
    }

    @Test
    void concurrentIdenticalRequestsHaveOneEffect() throws Exception {
        String fundId = openFund("2000.00");
        long events = eventCount(fundId);
        String tx = newTx();
        Map<String, Object> body = Map.of("donorType", "COMPANY", "amount", "75.00",
                "currency", "CNY");
        // 100 under ./ledger chaos (-Dchaos.long=true), as the long version asks.
        int clients = Boolean.getBoolean("chaos.long") ? 100 : 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Callable<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            calls.add(() -> post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations", body));
        }
        Set<String> answers = new HashSet<>();
        for (Future<Answer> f : pool.invokeAll(calls)) {
            Answer a = f.get();
            assertThat(a.status()).as(a.raw()).isEqualTo(201);
            answers.add(a.raw());
        }
        pool.shutdown();
        assertThat(answers).hasSize(1);
        assertThat(eventCount(fundId)).isEqualTo(events + 1);
        assertThat(balances(fundId).get("cash").asText()).isEqualTo("75.00");
    }

    /** The client gives up before the answer comes; its retry finds the first outcome. */
    @Test
    void retryAfterAClientTimeoutHasNoSecondEffect() throws Exception {
        String fundId = openFund("2000.00");
        long events = eventCount(fundId);
        String tx = newTx();
        String body = "{\"donorType\":\"COMPANY\",\"amount\":\"42.00\",\"currency\":\"CNY\"}";
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest impatient = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/api/v1/funds/" + fundId
                                + "/donations"))
                .timeout(java.time.Duration.ofMillis(1))
                .header("Content-Type", "application/json")
                .header("Client-Transaction-Id", tx)
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(ADMIN.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            client.send(impatient, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException expected) {
            // The client stopped waiting; the ledger may or may not have handled it yet.
        }
        Answer retry = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations", body);
        assertThat(retry.status()).as(retry.raw()).isEqualTo(201);
        Answer again = post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations", body);
        assertThat(again.body()).isEqualTo(retry.body());
        awaitProjections();
        assertThat(eventCount(fundId)).isEqualTo(events + 1);
        assertThat(balances(fundId).get("cash").asText()).isEqualTo("42.00");
    }

    @Test
    void sameIdByAnotherUserIsADifferentRequest() {
        String fundId = openFund("2000.00");
        String tx = newTx();
        Map<String, Object> body = Map.of("donorType", "COMPANY", "amount", "5.00",
                "currency", "CNY");
        ok(post(ADMIN, tx, "/api/v1/funds/" + fundId + "/donations", body));
        long events = eventCount();
        Answer other = post(ADMIN2, tx, "/api/v1/funds/" + fundId + "/donations", body);
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.rule()).isEqualTo("CLIENT_TRANSACTION_ID_REUSED");
        assertThat(eventCount()).isEqualTo(events);
    }
}
