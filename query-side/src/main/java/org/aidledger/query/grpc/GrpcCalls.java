package org.aidledger.query.grpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.aidledger.messages.rules.RuleViolation;
import org.aidledger.proto.v1.Money;

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
        }
        response.onNext(result);
        response.onCompleted();
    }

    static Money money(long minor, String currency) {
        return Money.newBuilder().setAmountMinor(minor).setCurrency(currency).build();
    }
}
