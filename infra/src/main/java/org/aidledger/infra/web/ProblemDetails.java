package org.aidledger.infra.web;

import java.net.URI;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds the RFC 9457 problem detail for a refused rule; the {@code rule} member is stable. */
public final class ProblemDetails {

    private ProblemDetails() {
    }

    public static HttpStatus statusOf(Rule rule) {
        return switch (rule.kind()) {
            case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case FAILED_PRECONDITION -> HttpStatus.UNPROCESSABLE_ENTITY;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
        };
    }

    public static ProblemDetail of(RuleViolation violation) {
        return of(violation.rule(), violation.getMessage());
    }

    public static ProblemDetail of(Rule rule, String message) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(statusOf(rule), message);
        problem.setType(URI.create("urn:aid-ledger:rule:" + rule.name()));
        problem.setTitle(rule.name().replace('_', ' ').toLowerCase());
        problem.setProperty("rule", rule.name());
        return problem;
    }
}
