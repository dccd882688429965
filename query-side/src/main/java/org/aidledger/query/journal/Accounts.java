package org.aidledger.query.journal;

/**
 * The per-fund chart of accounts. Codes are colon-separated paths so that a prefix selects a
 * group (every reserve, every payout expense). Debits are positive, credits negative.
 */
public final class Accounts {

    public static final String CASH = "ASSET:CASH";
    public static final String RESERVE_PREFIX = "ASSET:RESERVE:";
    public static final String LOANS_RECEIVABLE = "ASSET:LOANS_RECEIVABLE";
    public static final String INTEREST_INCOME = "INCOME:INTEREST";
    public static final String PENALTY_INCOME = "INCOME:PENALTY";
    public static final String RECOVERY_INCOME = "INCOME:LOAN_RECOVERY";
    public static final String WRITE_OFF_EXPENSE = "EXPENSE:LOAN_WRITE_OFF";
    public static final String LOAN_GRANT_EXPENSE = "EXPENSE:LOAN_CONVERSION_GRANT";
    public static final String INTEREST_SUBSIDY_EXPENSE = "EXPENSE:INTEREST_SUBSIDY";
    public static final String INCOME_PREFIX = "INCOME:";
    public static final String DONATION_INCOME = "INCOME:DONATION";
    public static final String RESTRICTED_DONATION_INCOME = "INCOME:DONATION_RESTRICTED";
    public static final String ALLOCATION_INCOME = "INCOME:ALLOCATION";
    public static final String SUBSIDY_INCOME = "INCOME:GOVERNMENT_SUBSIDY";
    public static final String EXPENSE_PREFIX = "EXPENSE:";
    public static final String PAYOUT_EXPENSE_PREFIX = "EXPENSE:PAYOUT:";

    private Accounts() {
    }

    public static String reserve(String partnerId) {
        return RESERVE_PREFIX + partnerId;
    }

    public static String payoutExpense(String category) {
        return PAYOUT_EXPENSE_PREFIX + category;
    }
}
