package org.aidledger.messages.fund;

/** Where a hardship payout stands. */
public enum PayoutStatus {
    AWAITING_APPROVAL,
    APPROVED,
    REJECTED,
    PAID,
    REVERSED
}
