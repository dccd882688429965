package org.aidledger.messages.fund;

/** The financial transactions a fund records, each of which can later be reversed. */
public enum TransactionKind {
    DONATION,
    ALLOCATION,
    RESERVE_DEPOSIT,
    RESERVE_WITHDRAWAL,
    PAYOUT,
    PAYOUT_BATCH,
    REVERSAL,
    LOAN_DISBURSEMENT,
    LOAN_REPAYMENT,
    LOAN_WRITE_OFF,
    LOAN_RECOVERY,
    LOAN_CONVERSION,
    LOAN_GRANT,
    INTEREST_SUBSIDY
}
