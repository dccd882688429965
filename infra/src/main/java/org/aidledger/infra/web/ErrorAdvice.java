package org.aidledger.infra.web;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.servlet.http.HttpServletRequest;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every refusal into an RFC 9457 problem detail naming the rule. Only a fault of the ledger
 * itself is a 500, and it is logged.
 */
@RestControllerAdvice
public class ErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(ErrorAdvice.class);

    @ExceptionHandler(RuleViolation.class)
    ResponseEntity<ProblemDetail> refused(RuleViolation e, HttpServletRequest request) {
        return respond(ProblemDetails.of(e), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e,
            HttpServletRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof RuleViolation rv) {
            return respond(ProblemDetails.of(rv), request);
        }
        String detail = "the request body is not valid JSON for this operation";
        if (cause instanceof UnrecognizedPropertyException u) {
            detail = "unknown field '" + u.getPropertyName() + "'";
        } else if (cause instanceof InvalidFormatException f) {
            detail = "field '" + path(f) + "' cannot take the value '" + f.getValue() + "'";
        } else if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            detail = "field '" + path(m) + "' has the wrong type";
        }
        return respond(ProblemDetails.of(Rule.MALFORMED_REQUEST, detail), request);
    }

    /**
     * Spring Security's firewall checks a header when it is read; MVC reads them all to take a
     * request's body, so a header the firewall refuses (a control character, say) surfaces
     * here, and is the caller's fault.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e,
            HttpServletRequest request) {
        return respond(ProblemDetails.of(Rule.MALFORMED_REQUEST, e.getMessage()), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e,
            HttpServletRequest request) {
        return respond(ProblemDetails.of(Rule.FIELD_INVALID, "parameter '" + e.getName()
                + "' cannot take the value '" + e.getValue() + "'"), request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e,
            HttpServletRequest request) {
        return respond(ProblemDetails.of(Rule.FIELD_REQUIRED,
                "parameter '" + e.getParameterName() + "' is required"), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e,
            HttpServletRequest request) {
        return respond(ProblemDetails.of(Rule.MALFORMED_REQUEST,
                "send the body as application/json"), request);
    }

    /**
     * The ledger answers in JSON only. A request whose Accept header takes no JSON is refused
     * when its handler is looked up, before a command runs: before, the command was recorded
     * and its answer then failed to be written, a 500 for a transaction that had been taken.
     */
    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e,
            HttpServletRequest request) {
        ProblemDetail p = ProblemDetails.of(Rule.MALFORMED_REQUEST,
                "the ledger answers in application/json, which the Accept header '"
                        + request.getHeader("Accept") + "' does not take");
        p.setStatus(406);
        return respond(p, request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e,
            HttpServletRequest request) {
        ProblemDetail p = ProblemDetails.of(Rule.MALFORMED_REQUEST,
                e.getMethod() + " is not supported here");
        p.setStatus(405);
        return respond(p, request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e,
            HttpServletRequest request) {
        ProblemDetail p = ProblemDetails.of(Rule.MALFORMED_REQUEST,
                "no such endpoint: " + e.getResourcePath());
        p.setStatus(404);
        return respond(p, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> fault(Exception e, HttpServletRequest request) {
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(
                org.springframework.http.HttpStatus.INTERNAL_SERVER_ERROR,
                "the ledger failed to handle this request; see the service log");
        return respond(p, request);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p,
            HttpServletRequest request) {
        p.setInstance(java.net.URI.create(request.getRequestURI()));
        return ResponseEntity.status(p.getStatus())
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        e.getPath().forEach(ref -> {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        });
        return sb.toString();
    }
}
