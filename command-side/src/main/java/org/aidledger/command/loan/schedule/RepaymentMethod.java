package org.aidledger.command.loan.schedule;

/** How a loan is repaid, month by month. */
public enum RepaymentMethod {
    /** 等额本息: the same payment every month; interest on the remaining principal. */
    EQUAL_INSTALMENTS,
    /** 等额本金: the same principal every month plus interest on what remains. */
    EQUAL_PRINCIPAL,
    /** 先息后本: interest every month, all principal with the last instalment. */
    INTEREST_ONLY,
    /** Flat: interest on the original principal for the whole term, spread evenly. */
    FLAT
}
