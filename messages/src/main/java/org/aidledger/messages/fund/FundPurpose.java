package org.aidledger.messages.fund;

/** What a fund is for. */
public enum FundPurpose {
    HARDSHIP,
    REEMPLOYMENT,
    INTEREST_SUBSIDY,
    GENERAL
}
