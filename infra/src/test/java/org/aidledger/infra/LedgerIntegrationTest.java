package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.aidledger.query.admin.Projections;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.client.DefaultResponseErrorHandler;

/**
 * Base of the tests that run the whole service against the real PostgreSQL named by
 * LEDGER_DB_URL (./ledger test provides one). Every test makes its own union body, partner and
 * funds under fresh ids, so tests never depend on each other or on an empty database.
 */
@SpringBootTest(classes = LedgerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ledger.grpc.port=0"})
@AutoConfigureObservability
public abstract class LedgerIntegrationTest {

    protected static final String ADMIN = "admin:admin-pass";
    protected static final String ADMIN2 = "admin2:admin2-pass";
    protected static final String APPROVER = "approver:approver-pass";
    protected static final String AUDITOR = "auditor:auditor-pass";
    protected static final Duration PROJECTION_WAIT = Duration.ofSeconds(60);
    /** Funds in tests open on this date so that tests can record backdated transactions. */
    protected static final String FUND_OPENED_ON = "2026-01-01";

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected Projections projections;
    @Autowired
    protected ObjectMapper json;

    protected final RestTemplate http = new RestTemplate();
    protected String run;

    @BeforeEach
    void freshNames() {
        run = UUID.randomUUID().toString().substring(0, 8);
        http.setErrorHandler(new DefaultResponseErrorHandler() {
            @Override
            public boolean hasError(org.springframework.http.client.ClientHttpResponse r) {
                return false;
            }
        });
        http.setRequestFactory(new org.springframework.http.client
                .JdkClientHttpRequestFactory());
    }

    /** What a call answered: status and parsed body. */
    protected record Answer(int status, JsonNode body, String raw) {
        String rule() {
            return body == null || body.get("rule") == null ? null : body.get("rule").asText();
        }
    }

    protected String id(String prefix) {
        return prefix + "-" + run;
    }

    protected static String newTx() {
        return "tx-" + UUID.randomUUID();
    }

    protected Answer post(String user, String clientTx, String path, Object body) {
        HttpHeaders headers = auth(user);
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (clientTx != null) {
            headers.set("Client-Transaction-Id", clientTx);
        }
        String payload;
        try {
            payload = body instanceof String s ? s : json.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return exchange(HttpMethod.POST, path, new HttpEntity<>(payload, headers));
    }

    protected Answer get(String user, String path) {
        return exchange(HttpMethod.GET, path, new HttpEntity<>(auth(user)));
    }

    private Answer exchange(HttpMethod method, String path, HttpEntity<String> entity) {
        ResponseEntity<String> r = http.exchange("http://localhost:" + port + path, method,
                entity, String.class);
        JsonNode body = null;
        try {
            body = r.getBody() == null ? null : json.readTree(r.getBody());
        } catch (Exception e) {
            // Not JSON: the raw text is kept for the assertion message.
        }
        return new Answer(r.getStatusCode().value(), body, r.getBody());
    }

    private static HttpHeaders auth(String user) {
        HttpHeaders headers = new HttpHeaders();
        if (user != null) {
            String[] parts = user.split(":", 2);
            headers.setBasicAuth(parts[0], parts[1]);
        }
        return headers;
    }

    protected Answer ok(Answer a) {
        assertThat(a.status()).as(a.raw()).isBetween(200, 299);
        return a;
    }

    /** A grassroots body under a city federation, a partner, and a CNY fund with 2000.00 threshold. */
    protected String openFund(String threshold) {
        return openFund(threshold, "HARDSHIP");
    }

    protected String openFund(String threshold, String purpose) {
        String city = id("city");
        if (!exists(city)) {
            ok(post(ADMIN, newTx(), "/api/v1/union-bodies",
                    Map.of("bodyId", city, "name", "市总工会", "level", "CITY")));
            ok(post(ADMIN, newTx(), "/api/v1/union-bodies", Map.of("bodyId", id("grassroots"),
                    "name", "基层工会", "level", "GRASSROOTS", "parentId", city)));
            ok(post(ADMIN, newTx(), "/api/v1/partners",
                    Map.of("partnerId", id("cu"), "name", "农村信用社")));
        }
        String fundId = "fund-" + UUID.randomUUID().toString().substring(0, 12);
        ok(post(ADMIN, newTx(), "/api/v1/funds", Map.of("fundId", fundId, "bodyId",
                id("grassroots"), "name", purpose + " fund", "purpose", purpose,
                "currency", "CNY", "approvalThreshold", threshold,
                "valueDate", FUND_OPENED_ON)));
        return fundId;
    }

    private boolean exists(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry"
                + " WHERE aggregateidentifier = ?", Long.class, aggregateId) > 0;
    }

    protected String donate(String fundId, String amount) {
        return ok(post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/donations",
                Map.of("donorType", "COMPANY", "donorRef", "acme", "amount", amount,
                        "currency", "CNY"))).body().get("transactionId").asText();
    }

    protected void awaitProjections() {
        projections.awaitCaughtUp(PROJECTION_WAIT);
    }

    protected JsonNode balances(String fundId) {
        awaitProjections();
        return ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/balances")).body();
    }

    protected static BigDecimal amount(JsonNode node, String field) {
        return new BigDecimal(node.get(field).asText());
    }

    /**
     * Events written by requests. Loan due-date deadlines fire in the background and may add
     * LoanOverdue events for loans of other tests at any moment, so those are left out.
     */
    protected long eventCount() {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry"
                + " WHERE payloadtype NOT LIKE '%.LoanOverdue'", Long.class);
    }

    protected long eventCount(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM domainevententry"
                + " WHERE aggregateidentifier = ? AND payloadtype NOT LIKE '%.LoanOverdue'",
                Long.class, aggregateId);
    }

    /** Rows recorded for a client transaction id: 0 when a request with it was refused. */
    /** An Authorization header line for a user as "name:password". */
    protected static String basic(String user) {
        return "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString(
                user.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\r\n";
    }

    /** Sends a request byte for byte as written and returns the whole answer, as sent back. */
    protected String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    protected long clientTransactionRows(String clientTx) {
        return jdbc.queryForObject("SELECT count(*) FROM client_transaction"
                + " WHERE client_transaction_id = ?", Long.class, clientTx);
    }

    /**
     * Journal entries whose recorded position is not their event's global index. A batch of
     * events hands its handlers the batch's token, so a projection that took its position
     * from there would record positions past the event's own.
     */
    protected long misplacedJournalEntries() {
        return jdbc.queryForObject("SELECT count(*) FROM journal_entry j JOIN domainevententry d"
                + " ON d.eventidentifier = j.event_id WHERE j.position <> d.globalindex",
                Long.class);
    }

    /** Takes the next global event index on the connection, as an appending transaction does. */
    protected static long reserveGlobalIndex(java.sql.Connection c) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = c.createStatement().executeQuery(
                "SELECT nextval(pg_get_serial_sequence('domainevententry', 'globalindex'))")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Writes a DonationReceived event for a fund with plain SQL on the given connection, as
     * another node (or a transaction this service does not know about) would; the caller links
     * it into the audit chain and commits.
     */
    protected static void insertDonationEvent(java.sql.Connection c, long globalIndex,
            String fundId, long sequence, String eventId, String transactionId, long minor)
            throws java.sql.SQLException {
        try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO"
                + " domainevententry (globalindex, aggregateidentifier, sequencenumber, type,"
                + " eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp)"
                + " VALUES (?, ?, ?, 'Fund', ?, convert_to(?, 'UTF8'), convert_to(?, 'UTF8'),"
                + " '1', 'org.aidledger.messages.fund.DonationReceived', ?)")) {
            insert.setLong(1, globalIndex);
            insert.setString(2, fundId);
            insert.setLong(3, sequence);
            insert.setString(4, eventId);
            insert.setString(5, "{\"actor\":\"admin\"}");
            insert.setString(6, "{\"fundId\":\"" + fundId + "\",\"transactionId\":\""
                    + transactionId + "\",\"amount\":{\"amountMinor\":" + minor
                    + ",\"currency\":\"CNY\"},\"donorType\":\"ANONYMOUS\",\"donorRef\":null,"
                    + "\"campaign\":null,\"restrictedPurpose\":null,"
                    + "\"valueDate\":\"2026-05-01\"}");
            insert.setString(7, java.time.Instant.now().toString());
            insert.executeUpdate();
        }
    }

    /** Every read-model row of one fund, as text, for before/after comparisons. */
    protected List<String> readModelOf(String fundId) {
        awaitProjections();
        List<String> rows = new java.util.ArrayList<>();
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', account, balance_minor, currency)"
                + " FROM account_balance WHERE fund_id = ? ORDER BY account", String.class,
                fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', event_id, position, transaction_id,"
                + " kind, value_date, recorded_at, reverses_transaction_id, description, actor)"
                + " FROM journal_entry WHERE fund_id = ? ORDER BY position", String.class,
                fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', event_id, line_no, account,"
                + " amount_minor, value_date) FROM journal_line WHERE fund_id = ?"
                + " ORDER BY position, line_no", String.class, fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', payout_id, status, amount_minor,"
                + " requested_by, approved_by, paid_on) FROM payout_view WHERE fund_id = ?"
                + " ORDER BY payout_id", String.class, fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', period, closed_through, position,"
                + " actor) FROM period_close WHERE fund_id = ? ORDER BY period", String.class,
                fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', period, account, balance_minor)"
                + " FROM period_statement WHERE fund_id = ? ORDER BY period, account",
                String.class, fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', loan_id, status, decided_by,"
                + " disbursed_on, closed_on, outstanding_principal_minor, schedule_version)"
                + " FROM loan_view WHERE fund_id = ? ORDER BY loan_id", String.class, fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', i.loan_id, i.version, i.number,"
                + " i.due_date, i.principal_minor, i.interest_minor, i.principal_paid_minor,"
                + " i.interest_paid_minor, i.superseded_by) FROM loan_instalment i JOIN loan_view"
                + " l ON l.loan_id = i.loan_id WHERE l.fund_id = ?"
                + " ORDER BY i.loan_id, i.version, i.number", String.class, fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', loan_id, status, subsidy_paid_minor,"
                + " ended_on) FROM subsidised_loan_view WHERE fund_id = ? ORDER BY loan_id",
                String.class, fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', transaction_id, period,"
                + " amount_minor) FROM subsidy_payment WHERE fund_id = ? ORDER BY position",
                String.class, fundId));
        rows.addAll(jdbc.queryForList("SELECT concat_ws('|', fund_id, status, currency,"
                + " approval_threshold_minor) FROM fund_view WHERE fund_id = ?", String.class,
                fundId));
        return rows;
    }
}
