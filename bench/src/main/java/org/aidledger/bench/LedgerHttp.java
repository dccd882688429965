package org.aidledger.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ledger's REST API as the load generators call it: Basic sign-in, JSON in and out. */
public final class LedgerHttp {

    public static final String ADMIN = "admin:admin-pass";
    public static final String APPROVER = "approver:approver-pass";
    public static final String AUDITOR = "auditor:auditor-pass";
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"?([^\",}]*)");

    private final String base;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).build();

    public LedgerHttp(String base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    /** What a call answered. */
    public record Answer(int status, String body) {
        public String field(String name) {
            Matcher m = FIELD.matcher(body);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return m.group(2);
                }
            }
            return null;
        }
    }

    /** A write with a client transaction id of its own. */
    Answer post(String user, String path, String json) throws IOException, InterruptedException {
        return send(user, "POST", path, json, "bench-" + UUID.randomUUID());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return post(ADMIN, path, json);
    }

    public Answer get(String user, String path) throws IOException, InterruptedException {
        return send(user, "GET", path, null, null);
    }

    public Answer send(String user, String method, String path, String json, String clientTx)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        user.getBytes(StandardCharsets.UTF_8)));
        if (json != null) {
            b.header("Content-Type", "application/json")
                    .header("Client-Transaction-Id", clientTx)
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.GET();
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** A body and a fund holding {@code cash} (a decimal string), ready for payouts. */
    public String fundWithCash(String prefix, String threshold, String cash)
            throws IOException, InterruptedException {
        String body = prefix + "-body";
        post("/api/v1/union-bodies", "{\"bodyId\":\"" + body + "\",\"name\":\"bench\","
                + "\"level\":\"CITY\"}");
        String fundId = prefix + "-fund";
        require(post("/api/v1/funds", "{\"fundId\":\"" + fundId + "\",\"bodyId\":\"" + body
                + "\",\"name\":\"f\",\"purpose\":\"HARDSHIP\",\"currency\":\"CNY\","
                + "\"approvalThreshold\":\"" + threshold + "\"}"));
        require(post("/api/v1/funds/" + fundId + "/donations", "{\"donorType\":\"COMPANY\","
                + "\"amount\":\"" + cash + "\",\"currency\":\"CNY\"}"));
        return fundId;
    }

    public static Answer require(Answer a) {
        if (a.status() >= 300) {
            throw new IllegalStateException("the ledger refused set-up: " + a.status() + " "
                    + a.body());
        }
        return a;
    }
}
