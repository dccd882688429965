package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.aidledger.infra.web.DirectJsonHandlerAdapter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The direct adapter answers as Spring MVC does. Each request is sent twice over HTTP: as a
 * client without an {@code Accept} header sends it, which the adapter takes, and with
 * {@code Accept: application/json, *}{@code /*}, which it leaves to MVC. A command sent twice
 * with the same client transaction id is answered the second time as the first, so the two
 * answers (status, content type, body) must be equal, for commands taken and for refusals.
 */
class DirectJsonHandlerAdapterTest extends LedgerIntegrationTest {

    private static final String TO_MVC = "Accept: application/json, */*\r\n";

    @Autowired
    private DirectJsonHandlerAdapter.Adapter adapter;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mapping;

    @Test
    void theAdapterTakesTheLedgersCommandsAndLeavesTheRestToMvc() throws Exception {
        String json = "application/json";
        assertThat(takes(request("POST", "/api/v1/funds/f1/donations", json, null))).isTrue();
        assertThat(takes(request("POST", "/api/v1/funds/f1/payouts/p1/approve", null, null)))
                .isTrue();
        assertThat(takes(request("POST", "/api/v1/funds/f1/payouts/p1/pay", null, null)))
                .isTrue();
        assertThat(takes(request("POST", "/api/v1/funds/f1/reversals",
                "application/json;charset=UTF-8", "*/*"))).isTrue();
        // MVC's: another Accept, a body that is not plain JSON, a dot in the path.
        assertThat(takes(request("POST", "/api/v1/funds/f1/donations", json,
                "application/json, */*"))).isFalse();
        assertThat(takes(request("POST", "/api/v1/funds/f1/donations", "text/plain", null)))
                .isFalse();
        assertThat(takes(request("POST", "/api/v1/funds/f1/donations",
                "application/json;charset=ISO-8859-1", null))).isFalse();
        assertThat(takes(request("POST", "/api/v1/funds/f.1/donations", json, null))).isFalse();
        // Handlers with other kinds of parameters are MVC's altogether.
        assertThat(adapter.supports(handler(request("GET", "/api/v1/funds/f1/journal", null,
                null)))).isFalse();
    }

    @Test
    void commandsAndRefusalsAreAnsweredAsMvcAnswersThem() throws Exception {
        String fund = openFund("1000.00");
        donate(fund, "100.00");
        String donation = "{\"donorType\":\"COMPANY\",\"donorRef\":\"acme\",\"amount\":\"5.00\","
                + "\"currency\":\"CNY\"}";
        List<String> differences = new ArrayList<>();
        long before = eventCount(fund);

        // Refusals first: none of them may write anything, whichever way it is taken.
        compare(differences, "malformed JSON", post(fund + "/donations", newTx(),
                "application/json", "{\"amount\": "));
        compare(differences, "unknown field", post(fund + "/donations", newTx(),
                "application/json", "{\"amount\":\"5.00\",\"colour\":\"red\"}"));
        compare(differences, "wrong type", post(fund + "/donations", newTx(),
                "application/json", "{\"donorType\":\"COMPANY\",\"amount\":{}}"));
        compare(differences, "unknown donor type", post(fund + "/donations", newTx(),
                "application/json", "{\"donorType\":\"ALIEN\",\"amount\":\"5.00\"}"));
        compare(differences, "empty body", post(fund + "/donations", newTx(),
                "application/json", ""));
        compare(differences, "no body, no content type", post(fund + "/donations", newTx(),
                null, ""));
        compare(differences, "no client transaction id", post(fund + "/donations", null,
                "application/json", donation));
        compare(differences, "too precise", post(fund + "/donations", newTx(),
                "application/json", donation.replace("5.00", "5.001")));
        compare(differences, "unknown fund", post("no-such-fund/donations", newTx(),
                "application/json", donation));
        compare(differences, "payout beyond cash", post(fund + "/payouts", newTx(),
                "application/json", "{\"beneficiaryId\":\"w-1\",\"category\":\"MEDICAL\","
                        + "\"amount\":\"999.00\",\"currency\":\"CNY\",\"reason\":\"flood\"}"));
        compare(differences, "approve an unknown payout", post(fund
                + "/payouts/no-such-payout/approve", newTx(), null, ""));
        assertThat(eventCount(fund)).as("events after the refusals").isEqualTo(before);

        // Commands: the second answer is the replay of the first.
        compare(differences, "donation", post(fund + "/donations", newTx(), "application/json",
                donation));
        compare(differences, "donation, JSON in UTF-8", post(fund + "/donations", newTx(),
                "application/json;charset=UTF-8", donation.replace("5.00", "6.00")));
        String payoutTx = newTx();
        compare(differences, "payout request", post(fund + "/payouts", payoutTx,
                "application/json", "{\"beneficiaryId\":\"w-1\",\"category\":\"MEDICAL\","
                        + "\"amount\":\"40.00\",\"currency\":\"CNY\",\"reason\":\"flood\"}"));
        String payout = json.readTree(body(send(post(fund + "/payouts", payoutTx,
                "application/json", "{\"beneficiaryId\":\"w-1\",\"category\":\"MEDICAL\","
                        + "\"amount\":\"40.00\",\"currency\":\"CNY\",\"reason\":\"flood\"}"), "")))
                .path("payoutId").asText();
        compare(differences, "pay, no body", post(fund + "/payouts/" + payout + "/pay", newTx(),
                null, ""));
        assertThat(differences).isEmpty();

        awaitProjections();
        assertThat(amount(balances(fund), "cash")).isEqualByComparingTo("71.00");
        assertThat(eventCount(fund)).as("two donations; a payout requested, approved under the"
                + " fund's threshold, and paid").isEqualTo(before + 5);
    }

    @Test
    void readsAreAnsweredAsMvcAnswersThem() throws Exception {
        String fund = openFund("1000.00");
        donate(fund, "100.00");
        awaitProjections();
        List<String> differences = new ArrayList<>();
        for (String path : List.of("/api/v1/funds/" + fund, "/api/v1/funds/" + fund
                + "/trial-balance", "/api/v1/audit/chain/head", "/api/v1/funds/no-such-fund",
                "/api/v1/funds/no-such-fund/trial-balance")) {
            String request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + basic(AUDITOR) + "Connection: close\r\n\r\n";
            assertThat(takes(request("GET", path, null, null))).as(path).isTrue();
            compare(differences, path, request);
        }
        assertThat(differences).isEmpty();
    }

    private void compare(List<String> differences, String what, String request)
            throws Exception {
        String direct = send(request, "");
        String viaMvc = send(request, TO_MVC);
        if (!essentials(direct).equals(essentials(viaMvc))) {
            differences.add(what + ":\n  direct: " + essentials(direct) + "\n  MVC:    "
                    + essentials(viaMvc));
        }
    }

    /** The status line, the content type and the body of an answer. */
    private static String essentials(String answer) {
        String status = answer.substring(0, answer.indexOf("\r\n"));
        String type = answer.lines().filter(l -> l.regionMatches(true, 0, "Content-Type:", 0, 13))
                .findFirst().orElse("(no content type)");
        return status + " | " + type + " | " + body(answer);
    }

    private static String body(String answer) {
        String rest = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        if (!answer.toLowerCase().contains("transfer-encoding: chunked")) {
            return rest;
        }
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = rest.indexOf("\r\n", at);
            int size = Integer.parseInt(rest.substring(at, eol).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(rest, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    private String send(String request, String extraHeaders) throws Exception {
        return raw(request.replace("\r\nConnection:", "\r\n" + extraHeaders + "Connection:"));
    }

    private static String post(String fundPath, String tx, String contentType, String body) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "POST /api/v1/funds/" + fundPath + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + basic(ADMIN)
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (tx == null ? "" : "Client-Transaction-Id: " + tx + "\r\n")
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n\r\n" + body;
    }

    private boolean takes(MockHttpServletRequest request) throws Exception {
        return adapter.takes(request, handler(request));
    }

    private HandlerMethod handler(MockHttpServletRequest request) throws Exception {
        HandlerExecutionChain chain = mapping.getHandler(request);
        return (HandlerMethod) chain.getHandler();
    }

    private static MockHttpServletRequest request(String method, String path, String contentType,
            String accept) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (contentType != null) {
            request.setContentType(contentType);
            request.setContent("{}".getBytes());
        } else {
            request.setContent(new byte[0]);
        }
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        ServletRequestPathUtils.parseAndCache(request);
        return request;
    }
}
