package org.aidledger.query.grpc;

import io.grpc.Status;
import org.aidledger.messages.rules.RuleViolation;

/** Maps a refused rule onto the gRPC status a caller expects, naming the rule. */
public final class GrpcStatuses {

    private GrpcStatuses() {
    }

    public static Status of(RuleViolation violation) {
        Status status = switch (violation.rule().kind()) {
            case INVALID_INPUT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT -> Status.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
        };
        return status.withDescription(violation.rule().name() + ": " + violation.getMessage());
    }
}
