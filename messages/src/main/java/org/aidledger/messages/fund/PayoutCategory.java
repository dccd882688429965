package org.aidledger.messages.fund;

/** The kinds of hardship assistance a payout can be. */
public enum PayoutCategory {
    FESTIVAL,
    HOSPITAL_VISIT,
    MEDICAL,
    EDUCATION,
    EMERGENCY
}
