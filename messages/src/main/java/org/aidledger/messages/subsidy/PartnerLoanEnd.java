package org.aidledger.messages.subsidy;

/** Why a partner's subsidised loan ended before its term. */
public enum PartnerLoanEnd {
    EARLY_PAYOFF,
    DEFAULT
}
