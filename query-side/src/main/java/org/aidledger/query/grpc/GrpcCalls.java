package org.aidledger.query.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.aidledger.messages.rules.Ids;
import org.aidledger.messages.rules.RuleViolation;
import org.aidledger.proto.v1.Money;
import org.slf4j.LoggerFactory;

/** What every unary call of the ledger's gRPC services does with its answer or its refusal. */
final class GrpcCalls {

    private GrpcCalls() {
    }

    /** Answers with the call's result, or with the status a refusal maps to. */
    static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuleViolation e) {
            response.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (RuntimeException e) {
            // A fault of the ledger, not of the caller: logged in full, answered without detail.
            LoggerFactory.getLogger(GrpcCalls.class).error("gRPC call failed", e);
            response.onError(io.grpc.Status.INTERNAL.withDescription(
                    "the ledger could not answer; the fault is logged").asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    /** An id from a request, held to the same rule as the REST API ({@link Ids}). */
    static String id(String value, String field) {
        if (value.isEmpty()) {
            throw io.grpc.Status.INVALID_ARGUMENT.withDescription("FIELD_REQUIRED: " + field
                    + " is required").asRuntimeException();
        }
        if (!Ids.wellFormed(value)) {
            throw io.grpc.Status.INVALID_ARGUMENT.withDescription("FIELD_INVALID: " + field
                    + " " + Ids.RULE_TEXT).asRuntimeException();
        }
        return value;
    }

    static Money money(long minor, String currency) {
        return Money.newBuilder().setAmountMinor(minor).setCurrency(currency).build();
    }
}
