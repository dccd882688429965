package org.aidledger.messages.loan;

/** The order in which a repayment pays what is due; the union's default is penalty first. */
public enum AllocationOrder {
    PENALTY_INTEREST_PRINCIPAL,
    INTEREST_PENALTY_PRINCIPAL,
    INTEREST_PRINCIPAL_PENALTY
}
