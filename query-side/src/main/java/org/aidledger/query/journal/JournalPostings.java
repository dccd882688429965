package org.aidledger.query.journal;

import java.util.List;
import org.aidledger.messages.fund.AllocationKind;
import org.aidledger.messages.fund.AllocationReceived;
import org.aidledger.messages.fund.DonationReceived;
import org.aidledger.messages.fund.PayoutBatchPartPaid;
import org.aidledger.messages.fund.PayoutPaid;
import org.aidledger.messages.fund.SubsidyReserveDeposited;
import org.aidledger.messages.fund.SubsidyReserveWithdrawn;
import org.aidledger.messages.loan.LoanConvertedToGrant;
import org.aidledger.messages.subsidy.InterestSubsidyPaid;
import org.aidledger.messages.loan.LoanDisbursed;
import org.aidledger.messages.loan.LoanGrantPaid;
import org.aidledger.messages.loan.LoanWrittenOff;
import org.aidledger.messages.loan.WrittenOffRecoveryReceived;
import org.aidledger.messages.loan.RepaymentReceived;

/**
 * The journal entry each financial event makes: a pure function of the event, so that a replay
 * posts exactly the same lines. Every entry it returns sums to zero. A reversal is not here: it
 * posts the negation of the entry it reverses, which the projection looks up.
 */
public final class JournalPostings {

    private JournalPostings() {
    }

    public static List<Posting> of(DonationReceived e) {
        String income = e.restrictedPurpose() == null ? Accounts.DONATION_INCOME
                : Accounts.RESTRICTED_DONATION_INCOME;
        return pair(Accounts.CASH, income, e.amount().amountMinor());
    }

    public static List<Posting> of(AllocationReceived e) {
        String income = e.kind() == AllocationKind.GOVERNMENT_SUBSIDY ? Accounts.SUBSIDY_INCOME
                : Accounts.ALLOCATION_INCOME;
        return pair(Accounts.CASH, income, e.amount().amountMinor());
    }

    public static List<Posting> of(SubsidyReserveDeposited e) {
        return pair(Accounts.reserve(e.partnerId()), Accounts.CASH, e.amount().amountMinor());
    }

    public static List<Posting> of(SubsidyReserveWithdrawn e) {
        return pair(Accounts.CASH, Accounts.reserve(e.partnerId()), e.amount().amountMinor());
    }

    public static List<Posting> of(PayoutPaid e) {
        return pair(Accounts.payoutExpense(e.category().name()), Accounts.CASH,
                e.amount().amountMinor());
    }

    public static List<Posting> of(PayoutBatchPartPaid e) {
        return pair(Accounts.payoutExpense(e.category().name()), Accounts.CASH,
                e.partTotal().amountMinor());
    }

    public static List<Posting> of(LoanDisbursed e) {
        return pair(Accounts.LOANS_RECEIVABLE, Accounts.CASH, e.principal().amountMinor());
    }

    /** Cash in; principal reduces the receivable; interest and penalty are income. */
    public static List<Posting> of(RepaymentReceived e) {
        List<Posting> lines = new java.util.ArrayList<>();
        lines.add(new Posting(Accounts.CASH, e.amount().amountMinor()));
        if (e.principalMinor() != 0) {
            lines.add(new Posting(Accounts.LOANS_RECEIVABLE, Math.negateExact(e.principalMinor())));
        }
        if (e.interestMinor() != 0) {
            lines.add(new Posting(Accounts.INTEREST_INCOME, Math.negateExact(e.interestMinor())));
        }
        if (e.penaltyMinor() != 0) {
            lines.add(new Posting(Accounts.PENALTY_INCOME, Math.negateExact(e.penaltyMinor())));
        }
        return List.copyOf(lines);
    }

    /** The loss is charged to the fund; the receivable is gone. */
    public static List<Posting> of(LoanWrittenOff e) {
        return pair(Accounts.WRITE_OFF_EXPENSE, Accounts.LOANS_RECEIVABLE,
                e.principalWrittenOff().amountMinor());
    }

    public static List<Posting> of(WrittenOffRecoveryReceived e) {
        return pair(Accounts.CASH, Accounts.RECOVERY_INCOME, e.amount().amountMinor());
    }

    /** The loan's fund: the hardship fund's cash settles the receivable. */
    public static List<Posting> of(LoanConvertedToGrant e) {
        return pair(Accounts.CASH, Accounts.LOANS_RECEIVABLE,
                e.principalSettled().amountMinor());
    }

    /** The hardship fund: the grant is its expense, kept apart from write-offs. */
    public static List<Posting> of(LoanGrantPaid e) {
        return pair(Accounts.LOAN_GRANT_EXPENSE, Accounts.CASH, e.amount().amountMinor());
    }

    /** The subsidy is the union's expense, paid out of its reserve at the partner. */
    public static List<Posting> of(InterestSubsidyPaid e) {
        return pair(Accounts.INTEREST_SUBSIDY_EXPENSE, Accounts.reserve(e.partnerId()),
                e.amount().amountMinor());
    }

    /** The lines that undo an entry: each line negated. */
    public static List<Posting> reversing(List<Posting> original) {
        return original.stream().map(Posting::negate).toList();
    }

    private static List<Posting> pair(String debit, String credit, long amountMinor) {
        return List.of(new Posting(debit, amountMinor),
                new Posting(credit, Math.negateExact(amountMinor)));
    }
}
