package org.aidledger.messages.rules;

/**
 * Every rule the ledger can refuse a request for. The name is the stable code callers see (in
 * the problem detail's {@code rule} member and in gRPC status messages); the kind says which HTTP
 * status and gRPC code it maps to.
 */
public enum Rule {
    // Malformed or out-of-range input.
    MALFORMED_REQUEST(Kind.INVALID_INPUT),
    FIELD_REQUIRED(Kind.INVALID_INPUT),
    FIELD_INVALID(Kind.INVALID_INPUT),
    AMOUNT_MISSING(Kind.INVALID_INPUT),
    AMOUNT_NOT_POSITIVE(Kind.INVALID_INPUT),
    AMOUNT_TOO_LARGE(Kind.INVALID_INPUT),
    AMOUNT_TOO_PRECISE(Kind.INVALID_INPUT),
    CURRENCY_UNKNOWN(Kind.INVALID_INPUT),
    CURRENCY_MISMATCH(Kind.INVALID_INPUT),
    CLIENT_TRANSACTION_ID_MISSING(Kind.INVALID_INPUT),
    PAGE_SIZE_INVALID(Kind.INVALID_INPUT),
    VALUE_DATE_IN_FUTURE(Kind.INVALID_INPUT),

    // Things that do not exist.
    UNION_BODY_NOT_FOUND(Kind.NOT_FOUND),
    PARTNER_NOT_FOUND(Kind.NOT_FOUND),
    FUND_NOT_FOUND(Kind.NOT_FOUND),
    PAYOUT_NOT_FOUND(Kind.NOT_FOUND),
    TRANSACTION_NOT_FOUND(Kind.NOT_FOUND),
    RESERVE_NOT_FOUND(Kind.NOT_FOUND),

    // Conflicts with what is already recorded.
    UNION_BODY_ALREADY_EXISTS(Kind.CONFLICT),
    PARTNER_ALREADY_EXISTS(Kind.CONFLICT),
    FUND_ALREADY_EXISTS(Kind.CONFLICT),
    CLIENT_TRANSACTION_ID_REUSED(Kind.CONFLICT),
    CONCURRENT_MODIFICATION(Kind.CONFLICT),

    // Business rules.
    FUND_CLOSED(Kind.FAILED_PRECONDITION),
    FUND_NOT_EMPTY(Kind.FAILED_PRECONDITION),
    FUND_HAS_OPEN_PAYOUTS(Kind.FAILED_PRECONDITION),
    INSUFFICIENT_AVAILABLE_CASH(Kind.FAILED_PRECONDITION),
    INSUFFICIENT_RESERVE(Kind.FAILED_PRECONDITION),
    SELF_APPROVAL(Kind.FAILED_PRECONDITION),
    PAYOUT_NOT_AWAITING_APPROVAL(Kind.FAILED_PRECONDITION),
    PAYOUT_NOT_APPROVED(Kind.FAILED_PRECONDITION),
    TRANSACTION_ALREADY_REVERSED(Kind.FAILED_PRECONDITION),
    TRANSACTION_NOT_REVERSIBLE(Kind.FAILED_PRECONDITION),
    PARENT_BODY_LEVEL(Kind.FAILED_PRECONDITION),
    VALUE_DATE_TOO_EARLY(Kind.FAILED_PRECONDITION),

    // Who may do what.
    UNAUTHENTICATED(Kind.UNAUTHENTICATED),
    ROLE_NOT_PERMITTED(Kind.PERMISSION_DENIED);

    /** How a rule maps onto transport statuses. */
    public enum Kind {
        INVALID_INPUT,
        NOT_FOUND,
        CONFLICT,
        FAILED_PRECONDITION,
        UNAUTHENTICATED,
        PERMISSION_DENIED
    }

    private final Kind kind;

    Rule(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
