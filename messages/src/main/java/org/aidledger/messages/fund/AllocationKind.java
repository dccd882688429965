package org.aidledger.messages.fund;

/** Money put into a fund by a higher union body (allocation) or by government (subsidy). */
public enum AllocationKind {
    ALLOCATION,
    GOVERNMENT_SUBSIDY
}
