package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad request gets a 4xx problem detail naming the rule, and leaves the ledger exactly as it
 * was: no event, no idempotency record, no read-model row changed.
 */
class RefusalsTest extends LedgerIntegrationTest {

    private String fundId;
    private String closedFund;
    private String awaitingPayout;
    private String usedTx;

    /** A refused request: who sends it, where, with which body and client transaction id. */
    record Bad(String name, String user, String path, Object body, String clientTx,
            int status, String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void ledgerWithMoney() {
        fundId = openFund("500.00");
        donate(fundId, "1000.00");
        closedFund = openFund("2000.00");
        ok(post(ADMIN, newTx(), "/api/v1/funds/" + closedFund + "/close",
                Map.of("reason", "campaign over")));
        awaitingPayout = ok(post("chair:chair-pass", newTx(), "/api/v1/funds/" + fundId
                + "/payouts", Map.of("beneficiaryId", "ben-9", "category", "EMERGENCY",
                "amount", "800.00", "currency", "CNY", "reason", "flood")))
                .body().get("payoutId").asText();
        usedTx = newTx();
        ok(post(ADMIN, usedTx, "/api/v1/funds/" + fundId + "/donations",
                donation("10.00", "CNY")));
        awaitProjections();
    }

    static Map<String, Object> donation(String amount, String currency) {
        return Map.of("donorType", "INDIVIDUAL", "donorRef", "donor-7", "amount", amount,
                "currency", currency);
    }

    static Stream<Bad> badRequests() {
        String donations = "/api/v1/funds/{fund}/donations";
        return Stream.of(
                new Bad("zero amount", ADMIN, donations, donation("0.00", "CNY"), null, 400,
                        "AMOUNT_NOT_POSITIVE"),
                new Bad("negative amount", ADMIN, donations, donation("-5.00", "CNY"), null,
                        400, "AMOUNT_NOT_POSITIVE"),
                new Bad("over the maximum", ADMIN, donations,
                        donation("1000000000.01", "CNY"), null, 400, "AMOUNT_TOO_LARGE"),
                new Bad("beyond any long", ADMIN, donations,
                        donation("99999999999999999999999.00", "CNY"), null, 400,
                        "AMOUNT_TOO_LARGE"),
                new Bad("too many decimals", ADMIN, donations, donation("10.005", "CNY"),
                        null, 400, "AMOUNT_TOO_PRECISE"),
                new Bad("wrong currency", ADMIN, donations, donation("10.00", "USD"), null,
                        400, "CURRENCY_MISMATCH"),
                new Bad("not a currency", ADMIN, donations, donation("10.00", "XYZ1"), null,
                        400, "CURRENCY_UNKNOWN"),
                new Bad("unknown fund", ADMIN, "/api/v1/funds/no-such-fund/donations",
                        donation("10.00", "CNY"), null, 404, "FUND_NOT_FOUND"),
                new Bad("closed fund", ADMIN, "/api/v1/funds/{closed}/donations",
                        donation("10.00", "CNY"), null, 422, "FUND_CLOSED"),
                new Bad("self-approval", "chair:chair-pass",
                        "/api/v1/funds/{fund}/payouts/{payout}/approve", Map.of(), null, 422,
                        "SELF_APPROVAL"),
                new Bad("payout above available", ADMIN, "/api/v1/funds/{fund}/payouts",
                        Map.of("beneficiaryId", "ben-1", "category", "MEDICAL", "amount",
                                "1010.01", "currency", "CNY", "reason", "surgery"), null, 422,
                        "INSUFFICIENT_AVAILABLE_CASH"),
                new Bad("reused transaction id, other content", ADMIN, donations,
                        donation("11.00", "CNY"), "{usedTx}", 409,
                        "CLIENT_TRANSACTION_ID_REUSED"),
                new Bad("value date in the future", ADMIN, donations, Map.of("donorType",
                        "COMPANY", "amount", "1.00", "currency", "CNY", "valueDate",
                        "2999-01-01"), null, 400, "VALUE_DATE_IN_FUTURE"),
                new Bad("value date before the fund opened", ADMIN, donations,
                        Map.of("donorType", "COMPANY", "amount", "1.00", "currency", "CNY",
                                "valueDate", "2025-12-31"), null, 422, "VALUE_DATE_TOO_EARLY"),
                new Bad("malformed date", ADMIN, donations, Map.of("donorType", "COMPANY",
                        "amount", "1.00", "currency", "CNY", "valueDate", "31.12.2026"), null,
                        400, "MALFORMED_REQUEST"),
                new Bad("malformed JSON", ADMIN, donations, "{\"donorType\": \"COMPANY\",",
                        null, 400, "MALFORMED_REQUEST"),
                new Bad("unknown field", ADMIN, donations, Map.of("donorType", "COMPANY",
                        "amount", "1.00", "currency", "CNY", "amountMinor", 100), null, 400,
                        "MALFORMED_REQUEST"),
                new Bad("unknown enum value", ADMIN, donations, Map.of("donorType", "ROBOT",
                        "amount", "1.00", "currency", "CNY"), null, 400, "MALFORMED_REQUEST"),
                new Bad("amount missing", ADMIN, donations, Map.of("donorType", "COMPANY",
                        "currency", "CNY"), null, 400, "AMOUNT_MISSING"),
                new Bad("no client transaction id", ADMIN, donations,
                        donation("10.00", "CNY"), "", 400, "CLIENT_TRANSACTION_ID_MISSING"),
                new Bad("missing password", null, donations, donation("10.00", "CNY"), null,
                        401, "UNAUTHENTICATED"),
                new Bad("wrong password", "admin:guess", donations, donation("10.00", "CNY"),
                        null, 401, "UNAUTHENTICATED"),
                new Bad("auditor writes", AUDITOR, donations, donation("10.00", "CNY"), null,
                        403, "ROLE_NOT_PERMITTED"),
                new Bad("approver records", APPROVER, donations, donation("10.00", "CNY"),
                        null, 403, "ROLE_NOT_PERMITTED"),
                new Bad("unknown parent body", ADMIN, "/api/v1/union-bodies",
                        "{\"bodyId\":\"new-{run}\",\"name\":\"n\",\"level\":\"GROUP\","
                                + "\"parentId\":\"no-such-body\"}", null, 404,
                        "UNION_BODY_NOT_FOUND"),
                new Bad("parent below its child", ADMIN, "/api/v1/union-bodies",
                        "{\"bodyId\":\"new-{run}\",\"name\":\"n\",\"level\":\"CITY\","
                                + "\"parentId\":\"grassroots-{run}\"}", null, 422,
                        "PARENT_BODY_LEVEL"),
                new Bad("body id taken", ADMIN, "/api/v1/union-bodies",
                        "{\"bodyId\":\"grassroots-{run}\",\"name\":\"n\","
                                + "\"level\":\"GROUP\"}", null, 409,
                        "UNION_BODY_ALREADY_EXISTS"),
                new Bad("partner id taken", ADMIN, "/api/v1/partners",
                        "{\"partnerId\":\"cu-{run}\",\"name\":\"n\"}", null, 409,
                        "PARTNER_ALREADY_EXISTS"),
                new Bad("fund for an unknown body", ADMIN, "/api/v1/funds",
                        "{\"fundId\":\"new-{run}\",\"bodyId\":\"no-such-body\","
                                + "\"name\":\"n\",\"purpose\":\"HARDSHIP\","
                                + "\"currency\":\"CNY\",\"approvalThreshold\":\"1.00\"}",
                        null, 404, "UNION_BODY_NOT_FOUND"),
                new Bad("fund id taken", ADMIN, "/api/v1/funds",
                        "{\"fundId\":\"{fund}\",\"bodyId\":\"grassroots-{run}\","
                                + "\"name\":\"n\",\"purpose\":\"HARDSHIP\","
                                + "\"currency\":\"CNY\",\"approvalThreshold\":\"1.00\"}",
                        null, 409, "FUND_ALREADY_EXISTS"),
                new Bad("reserve at an unknown partner", ADMIN,
                        "/api/v1/funds/{fund}/reserves/no-such-partner/deposits",
                        Map.of("amount", "1.00", "currency", "CNY"), null, 404,
                        "PARTNER_NOT_FOUND"),
                new Bad("a NUL byte in a text", ADMIN, "/api/v1/funds/{fund}/payouts",
                        Map.of("beneficiaryId", "ben-1", "category", "MEDICAL", "amount",
                                "10.00", "currency", "CNY", "reason", "sur\u0000gery"), null,
                        400, "FIELD_INVALID"),
                new Bad("admin approves", ADMIN,
                        "/api/v1/funds/{fund}/payouts/{payout}/approve", Map.of(), null, 403,
                        "ROLE_NOT_PERMITTED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusedAndNothingWritten(Bad bad) {
        long events = eventCount();
        long clientTransactions = jdbc.queryForObject(
                "SELECT count(*) FROM client_transaction", Long.class);
        List<String> before = readModelOf(fundId);

        String path = bad.path().replace("{fund}", fundId).replace("{closed}", closedFund)
                .replace("{payout}", awaitingPayout);
        String clientTx = bad.clientTx() == null ? newTx()
                : bad.clientTx().replace("{usedTx}", usedTx);
        Object body = bad.body() instanceof String text ? text.replace("{fund}", fundId)
                .replace("{run}", run) : bad.body();
        Answer answer = post(bad.user(), clientTx.isEmpty() ? null : clientTx, path, body);

        assertThat(answer.status()).as(answer.raw()).isEqualTo(bad.status());
        assertThat(answer.rule()).as(answer.raw()).isEqualTo(bad.rule());
        assertThat(answer.body().get("detail").asText()).isNotBlank();
        assertThat(eventCount()).isEqualTo(events);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM client_transaction", Long.class))
                .isEqualTo(clientTransactions);
        assertThat(readModelOf(fundId)).isEqualTo(before);
        assertThat(balances(fundId).get("cash").asText()).isEqualTo("1010.00");
    }
}
