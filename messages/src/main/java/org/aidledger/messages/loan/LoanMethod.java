package org.aidledger.messages.loan;

/** How a loan is repaid: 等额本息, 等额本金, 先息后本 or flat interest. */
public enum LoanMethod {
    EQUAL_INSTALMENTS,
    EQUAL_PRINCIPAL,
    INTEREST_ONLY,
    FLAT
}
