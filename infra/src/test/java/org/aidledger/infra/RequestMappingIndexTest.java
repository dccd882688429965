package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.aidledger.infra.web.IndexedRequestMappings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.support.StaticWebApplicationContext;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The indexed handler look-up ({@link IndexedRequestMappings}) finds what Spring MVC's own
 * look-up over every mapping finds, for every path of the application and its near misses.
 */
class RequestMappingIndexTest extends LedgerIntegrationTest {

    private static final List<String> METHODS =
            List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mapping;

    @Test
    void theIndexFindsWhatMvcFindsForEveryPathAndItsNearMisses() throws Exception {
        assertThat(mapping).isInstanceOf(IndexedRequestMappings.Mapping.class);
        IndexedRequestMappings.Mapping indexed = (IndexedRequestMappings.Mapping) mapping;

        Set<String> paths = new LinkedHashSet<>();
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            for (PathPattern p : info.getPathPatternsCondition().getPatterns()) {
                String path = p.getPatternString().replaceAll("\\{\\*?[^}]+}", "x7")
                        .replace("**", "a/b").replace("*", "y");
                paths.add(path);
                paths.add(path + "/");
                paths.add(path + "/extra");
                paths.add(path.substring(0, path.lastIndexOf('/') + 1));
                paths.add(path.toUpperCase());
                paths.add(path + ";v=1");
                paths.add(path.replace("x7", "a%2Fb"));
                paths.add(path.replace("x7", ""));
            }
        }
        paths.add("/");
        paths.add("/api/v1/funds/f1/nothing-here");
        paths.add("/nowhere/at/all");

        Comparison c = compare(indexed, paths, List.of(""));
        List<String> differences = c.differences();
        int compared = c.compared();
        int answeredByIndex = c.answeredByIndex();
        assertThat(differences).as("requests the index answers otherwise than MVC").isEmpty();
        assertThat(compared).isGreaterThan(1000);
        // The index must actually answer, or it saves nothing: every mapping's own path with
        // its own method is answered by it.
        assertThat(answeredByIndex).as("requests answered by the index, of " + compared)
                .isGreaterThan(mapping.getHandlerMethods().size() - 5);
        assertThat(indexed.indexAnswers(request("POST", "/api/v1/funds/f1/donations"))).isTrue();
        assertThat(indexed.indexAnswers(
                request("POST", "/api/v1/funds/f1/payouts/p1/approve"))).isTrue();
        assertThat(indexed.indexAnswers(request("GET", "/api/v1/funds/f1/balances"))).isTrue();
    }

    /**
     * Mappings that overlap, as the application's do not: where several match, MVC ranks them,
     * and the index must leave that to MVC.
     */
    @Test
    void whereSeveralMappingsMatchMvcRanksThem() throws Exception {
        StaticWebApplicationContext context = new StaticWebApplicationContext();
        context.setServletContext(new MockServletContext());
        context.registerSingleton("overlapping", Overlapping.class);
        context.refresh();
        IndexedRequestMappings.Mapping indexed = new IndexedRequestMappings.Mapping();
        indexed.setApplicationContext(context);
        indexed.afterPropertiesSet();

        List<String> paths = List.of("/t/y/x", "/t/z/x", "/t/y/z", "/t/q/r", "/t/y/x/",
                "/t/a/b/c", "/t", "/t/y", "/u/y/x", "/T/y/x");
        Comparison c = compare(indexed, paths, List.of("", "text/html", "application/json"));
        assertThat(c.differences()).as("requests the index answers otherwise than MVC").isEmpty();
        assertThat(c.answeredByIndex()).as("requests answered by the index").isPositive();
        assertThat(indexed.indexAnswers(request("PUT", "/t/a/b/c", ""))).isTrue();
        assertThat(indexed.indexAnswers(request("GET", "/t/y/x", ""))).isFalse();
        context.close();
    }

    @Controller
    static class Overlapping {
        @GetMapping("/t/{a}/x")
        void variableThenLiteral() {
        }

        @GetMapping("/t/y/{b}")
        void literalThenVariable() {
        }

        @GetMapping("/t/y/x")
        void literal() {
        }

        @GetMapping(value = "/t/y/x", produces = "text/html")
        void literalAsHtml() {
        }

        @PostMapping("/t/{a}/x")
        void posted() {
        }

        @RequestMapping("/t/{a}/{b}")
        void anyMethod() {
        }

        @PutMapping({"/t/y/z", "/t/{a}/{b}/{c}"})
        void twoLengths() {
        }

        @GetMapping("/t/**")
        void anyLength() {
        }
    }

    private record Comparison(int compared, int answeredByIndex, List<String> differences) {
    }

    private static Comparison compare(IndexedRequestMappings.Mapping indexed,
            java.util.Collection<String> paths, List<String> accepts) {
        int compared = 0;
        int answeredByIndex = 0;
        List<String> differences = new ArrayList<>();
        for (String path : paths) {
            for (String method : METHODS) {
                for (String accept : accepts) {
                    Outcome viaIndex = outcome(indexed, method, path, accept, true);
                    Outcome viaMvc = outcome(indexed, method, path, accept, false);
                    compared++;
                    if (viaIndex.byIndex()) {
                        answeredByIndex++;
                    }
                    if (!viaIndex.same(viaMvc)) {
                        differences.add(method + " " + path + " (Accept " + accept + "): index "
                                + viaIndex + ", MVC " + viaMvc);
                    }
                }
            }
        }
        return new Comparison(compared, answeredByIndex, differences);
    }

    private static MockHttpServletRequest request(String method, String path) {
        return request(method, path, "");
    }

    private static MockHttpServletRequest request(String method, String path, String accept) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        if (!accept.isEmpty()) {
            request.addHeader("Accept", accept);
        }
        ServletRequestPathUtils.parseAndCache(request);
        return request;
    }

    private static Outcome outcome(IndexedRequestMappings.Mapping mapping, String method,
            String path, String accept, boolean useIndex) {
        MockHttpServletRequest request = request(method, path, accept);
        boolean byIndex = useIndex && mapping.indexAnswers(request(method, path, accept));
        try {
            HandlerExecutionChain chain = useIndex ? mapping.getHandler(request)
                    : mapping.getHandlerUnindexed(request);
            return new Outcome(chain == null ? null : String.valueOf(chain.getHandler()),
                    String.valueOf(request.getAttribute(
                            HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE)),
                    String.valueOf(request.getAttribute(
                            HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)),
                    String.valueOf(request.getAttribute(
                            HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE)),
                    null, byIndex);
        } catch (Exception e) {
            return new Outcome(null, null, null, null,
                    e.getClass().getName() + ": " + e.getMessage(), byIndex);
        }
    }

    private record Outcome(String handler, String variables, String pattern, String within,
            String refused, boolean byIndex) {

        boolean same(Outcome other) {
            return Objects.equals(handler, other.handler)
                    && Objects.equals(variables, other.variables)
                    && Objects.equals(pattern, other.pattern)
                    && Objects.equals(within, other.within)
                    && Objects.equals(refused, other.refused);
        }
    }
}
