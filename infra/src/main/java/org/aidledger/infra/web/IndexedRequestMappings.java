package org.aidledger.infra.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's handler look-up, narrowed by an index before it tries mappings one by one.
 *
 * <p>Every path of the ledger's API holds a variable (a fund, a payout), so MVC cannot find its
 * handler by the path alone and tries every mapping of the application in turn: its method, its
 * conditions and its path pattern, about fifty of them for each request. In a W1 profile that was
 * 12 % of the request threads' samples. This mapping indexes the mappings by HTTP method, by the
 * number of elements of their path and by their last element when it is literal, and tries only
 * the mappings a request's method and path can match, with MVC's own matching.
 *
 * <p>It answers only when exactly one of those mappings matches. Then MVC, trying them all,
 * finds the same one and no other, since the index leaves out only mappings that cannot match
 * (a mapping declares the methods it serves, and a pattern without {@code **} or {@code {*name}}
 * matches paths of its own length alone). Everything else is MVC's: no match (its 404, 405 and
 * 415 answers), two matches to be ranked, HEAD and OPTIONS (MVC answers them for GET mappings
 * and CORS), paths ending in a slash. {@code RequestMappingIndexTest} holds it to MVC's
 * look-up over every mapping of the application.
 */
@Configuration(proxyBeanMethods = false)
public class IndexedRequestMappings {

    @Bean
    WebMvcRegistrations indexedRequestMappingHandlerMapping() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new Mapping();
            }
        };
    }

    /** The request mapping handler mapping with the index. */
    public static class Mapping extends RequestMappingHandlerMapping {

        private static final Set<String> INDEXED_METHODS =
                Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

        private static final ThreadLocal<Boolean> UNINDEXED = new ThreadLocal<>();

        private volatile Index index;

        @Override
        protected void handlerMethodsInitialized(Map<RequestMappingInfo, HandlerMethod> methods) {
            super.handlerMethodsInitialized(methods);
            this.index = Index.of(methods, getPatternParser() == null
                    || getPatternParser().isCaseSensitive());
        }

        @Override
        public void registerMapping(RequestMappingInfo mapping, Object handler, Method method) {
            this.index = null;
            super.registerMapping(mapping, handler, method);
        }

        @Override
        public void unregisterMapping(RequestMappingInfo mapping) {
            this.index = null;
            super.unregisterMapping(mapping);
        }

        /** MVC's look-up over every mapping, for comparing with the index's. */
        public HandlerExecutionChain getHandlerUnindexed(HttpServletRequest request)
                throws Exception {
            UNINDEXED.set(Boolean.TRUE);
            try {
                return getHandler(request);
            } finally {
                UNINDEXED.remove();
            }
        }

        /** Whether the index answered for this request, rather than MVC's look-up. */
        public boolean indexAnswers(HttpServletRequest request) {
            Index current = this.index;
            List<Candidate> candidates = current == null ? null : current.candidates(request);
            return candidates != null && onlyMatch(candidates, request) != null;
        }

        /**
         * The one candidate matching the request, as MVC's matching returns it, or null when
         * none or several match.
         */
        private Candidate onlyMatch(List<Candidate> candidates, HttpServletRequest request) {
            Candidate only = null;
            for (Candidate c : candidates) {
                RequestMappingInfo match = getMatchingMapping(c.info(), request);
                if (match != null) {
                    if (only != null) {
                        return null;
                    }
                    only = new Candidate(match, c.handler());
                }
            }
            return only;
        }

        @Override
        protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request)
                throws Exception {
            Index current = this.index;
            List<Candidate> candidates = current == null || UNINDEXED.get() != null
                    ? null : current.candidates(request);
            if (candidates == null) {
                return super.lookupHandlerMethod(lookupPath, request);
            }
            Candidate best = onlyMatch(candidates, request);
            if (best == null) {
                return super.lookupHandlerMethod(lookupPath, request);
            }
            request.setAttribute(BEST_MATCHING_HANDLER_ATTRIBUTE, best.handler());
            handleMatch(best.info(), lookupPath, request);
            return best.handler();
        }
    }

    private record Candidate(RequestMappingInfo info, HandlerMethod handler) {
    }

    /**
     * Mappings by method, then by the number of path elements (separators and segments), then
     * by the last segment where every pattern of the mapping ends in the same literal one.
     */
    private static final class Index {

        private static final List<Candidate> NONE = List.of();

        private final Map<String, Map<Integer, ByLength>> byMethod;

        private Index(Map<String, Map<Integer, ByLength>> byMethod) {
            this.byMethod = byMethod;
        }

        /** The mappings that may match, or null when MVC's look-up has to answer. */
        List<Candidate> candidates(HttpServletRequest request) {
            String method = request.getMethod();
            Map<Integer, ByLength> byLength = byMethod.get(method);
            if (byLength == null) {
                return null;
            }
            if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
                return null;
            }
            List<PathContainer.Element> elements = ServletRequestPathUtils
                    .getParsedRequestPath(request).pathWithinApplication().elements();
            int size = elements.size();
            if (size == 0 || !(elements.get(size - 1) instanceof PathContainer.PathSegment last)) {
                return null;
            }
            ByLength sameLength = byLength.get(size);
            if (sameLength == null) {
                return byLength.get(-1).anyLast();
            }
            List<Candidate> ending = sameLength.byLast().get(last.valueToMatch());
            return ending != null ? ending : sameLength.anyLast();
        }

        static Index of(Map<RequestMappingInfo, HandlerMethod> methods, boolean caseSensitive) {
            // Each mapping goes to one place per method it serves: under its patterns' common
            // length and last literal segment, under its length only, or (patterns of any
            // length) everywhere for that method.
            record Placed(Candidate candidate, int length, String last) {
            }
            List<Placed> placed = new ArrayList<>();
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e : methods.entrySet()) {
                RequestMappingInfo info = e.getKey();
                PathPatternsRequestCondition patterns = info.getPathPatternsCondition();
                int length = -1;
                String last = null;
                if (patterns != null && !patterns.getPatterns().isEmpty()) {
                    length = -2;
                    for (PathPattern p : patterns.getPatterns()) {
                        Shape shape = Shape.of(p.getPatternString(), caseSensitive);
                        if (shape.length() < 0 || (length != -2 && shape.length() != length)) {
                            length = -1;
                            last = null;
                            break;
                        }
                        last = length == -2 || java.util.Objects.equals(last, shape.last())
                                ? shape.last() : null;
                        length = shape.length();
                    }
                }
                placed.add(new Placed(new Candidate(info, e.getValue()), length, last));
            }
            Map<String, Map<Integer, ByLength>> byMethod = new HashMap<>();
            for (String method : Mapping.INDEXED_METHODS) {
                List<Placed> serving = placed.stream().filter(p -> serves(p.candidate().info(),
                        method)).toList();
                List<Candidate> anyLength = serving.stream().filter(p -> p.length() < 0)
                        .map(Placed::candidate).toList();
                Map<Integer, ByLength> byLength = new HashMap<>();
                byLength.put(-1, new ByLength(Map.of(), anyLength));
                serving.stream().map(Placed::length).filter(l -> l >= 0).distinct()
                        .forEach(length -> {
                            List<Placed> same = serving.stream()
                                    .filter(p -> p.length() == length).toList();
                            List<Candidate> anyLast = new ArrayList<>(anyLength);
                            same.stream().filter(p -> p.last() == null)
                                    .forEach(p -> anyLast.add(p.candidate()));
                            Map<String, List<Candidate>> byLast = new HashMap<>();
                            same.stream().map(Placed::last).filter(l -> l != null).distinct()
                                    .forEach(last -> {
                                        List<Candidate> ending = new ArrayList<>(anyLast);
                                        same.stream().filter(p -> last.equals(p.last()))
                                                .forEach(p -> ending.add(p.candidate()));
                                        byLast.put(last, List.copyOf(ending));
                                    });
                            byLength.put(length, new ByLength(byLast, List.copyOf(anyLast)));
                        });
                byMethod.put(method, byLength);
            }
            return new Index(byMethod);
        }

        private static boolean serves(RequestMappingInfo info, String method) {
            Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
            return declared.isEmpty() || declared.contains(RequestMethod.valueOf(method));
        }
    }

    private record ByLength(Map<String, List<Candidate>> byLast, List<Candidate> anyLast) {
    }

    /**
     * A pattern's number of path elements, or -1 when it may match paths of other lengths, and
     * its last segment when that is plain text matched as it is written.
     */
    record Shape(int length, String last) {

        static Shape of(String pattern, boolean caseSensitive) {
            if (!pattern.startsWith("/") || pattern.contains("**") || pattern.contains("{*")
                    || pattern.contains("//")) {
                return new Shape(-1, null);
            }
            if (pattern.equals("/")) {
                return new Shape(1, null);
            }
            boolean trailing = pattern.endsWith("/");
            String[] segments = pattern.substring(1, trailing ? pattern.length() - 1
                    : pattern.length()).split("/", -1);
            int length = 2 * segments.length + (trailing ? 1 : 0);
            String last = segments[segments.length - 1];
            boolean literal = !trailing && caseSensitive && !last.isEmpty()
                    && last.chars().allMatch(ch -> Character.isLetterOrDigit(ch)
                            || ch == '-' || ch == '_' || ch == '.');
            return new Shape(length, literal ? last : null);
        }
    }
}
