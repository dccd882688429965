package org.aidledger.messages.fund;

/** Who gave: a company, a person (by reference only, never by name here) or nobody named. */
public enum DonorType {
    COMPANY,
    INDIVIDUAL,
    ANONYMOUS
}
