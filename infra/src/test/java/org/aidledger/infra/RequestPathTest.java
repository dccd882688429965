package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * What the ledger's leaner request path still guarantees: no handler relies on Bean Validation
 * (which MVC no longer sets up), and the firewall still refuses a header holding a control
 * character, before anything is written.
 */
class RequestPathTest extends LedgerIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mappings;

    @Test
    void noHandlerDeclaresConstraintsThatBeanValidationWouldCheck() throws Exception {
        assertThat(mappings.getHandlerMethods()).hasSizeGreaterThan(20);
        List<String> validated = mappings.getHandlerMethods().values().stream()
                .filter(h -> h.shouldValidateArguments() || h.shouldValidateReturnValue()
                        || Arrays.stream(h.getMethodParameters()).anyMatch(p ->
                                p.hasParameterAnnotation(Valid.class)
                                        || p.hasParameterAnnotation(Validated.class)))
                .map(HandlerMethod::toString)
                .toList();
        assertThat(validated).as("handlers with Bean Validation constraints or @Valid; Bean Validation"
                + " is off (HandlerMethodValidation), so they would not be checked").isEmpty();

        Method probe = Probe.class.getDeclaredMethod("take", String.class);
        assertThat(new HandlerMethod(new Probe(), probe).createWithValidateFlags()
                .shouldValidateArguments())
                .as("the check above sees a constraint on a parameter").isTrue();
    }

    @Test
    void aHeaderWithAControlCharacterIsRefusedAndNothingIsWritten() throws Exception {
        String fund = openFund("2000.00");
        donate(fund, "10.00");
        long events = eventCount(fund);
        String tx = newTx();
        // U+0085 (next line), a C1 control character: one byte in the ISO-8859-1 Tomcat reads.
        String answer = donationAsSent(fund + "/donations", tx, "X-Note: a\u0085b\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"rule\":\"MALFORMED_REQUEST\"")
                .containsIgnoringCase("X-Note");
        assertThat(eventCount(fund)).isEqualTo(events);
        assertThat(clientTransactionRows(tx)).isZero();
        assertThat(amount(balances(fund), "cash")).isEqualByComparingTo("10.00");
    }

    @Test
    void aPathTheFirewallRefusesIsAnsweredWithTheSameProblem() throws Exception {
        String fund = openFund("2000.00");
        long events = eventCount(fund);
        String tx = newTx();
        String answer = donationAsSent(fund + "/%2e/donations", tx, "");
        assertThat(answer).startsWith("HTTP/1.1 400")
                .contains("\"rule\":\"MALFORMED_REQUEST\"");
        assertThat(eventCount(fund)).isEqualTo(events);
        assertThat(clientTransactionRows(tx)).isZero();
    }

    @Test
    void aRequestThatTakesNoJsonIsRefusedBeforeTheCommandRuns() throws Exception {
        String fund = openFund("2000.00");
        donate(fund, "10.00");
        long events = eventCount(fund);
        for (String accept : List.of("application/xml", "text/html", "text/plain;q=0.9")) {
            String tx = newTx();
            String answer = donationAsSent(fund + "/donations", tx, "Accept: " + accept + "\r\n");
            assertThat(answer).as(accept).startsWith("HTTP/1.1 406")
                    .contains("Content-Type: application/problem+json")
                    .contains("\"rule\":\"MALFORMED_REQUEST\"").contains(accept);
            assertThat(eventCount(fund)).as(accept).isEqualTo(events);
            assertThat(clientTransactionRows(tx)).as(accept).isZero();
        }
        assertThat(amount(balances(fund), "cash")).isEqualByComparingTo("10.00");

        String read = raw("GET /api/v1/funds/" + fund + "/balances HTTP/1.1\r\n"
                + "Host: localhost\r\n" + basic("auditor:auditor-pass")
                + "Accept: text/csv\r\nConnection: close\r\n\r\n");
        assertThat(read).startsWith("HTTP/1.1 406").contains("\"rule\":\"MALFORMED_REQUEST\"");

        // What clients send, JSON or anything, is answered as before.
        for (String accept : List.of("application/json", "*/*",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")) {
            String answer = donationAsSent(fund + "/donations", newTx(),
                    "Accept: " + accept + "\r\n");
            assertThat(answer).as(accept).startsWith("HTTP/1.1 201")
                    .contains("Content-Type: application/json\r\n");
        }
        assertThat(amount(balances(fund), "cash")).isEqualByComparingTo("25.00");
    }

    /** A donation of 5.00 by ADMIN, sent byte for byte as written (no client would send it). */
    private String donationAsSent(String fundPath, String tx, String extraHeaders)
            throws Exception {
        String body = "{\"donorType\":\"COMPANY\",\"donorRef\":\"acme\",\"amount\":\"5.00\","
                + "\"currency\":\"CNY\"}";
        return raw("POST /api/v1/funds/" + fundPath + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + basic("admin:admin-pass")
                + "Content-Type: application/json\r\n"
                + "Client-Transaction-Id: " + tx + "\r\n"
                + extraHeaders
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body);
    }

    public static class Probe {
        public void take(@NotBlank String value) {
        }
    }
}
