package org.aidledger.query.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.aidledger.messages.fund.AllocationKind;
import org.aidledger.messages.fund.AllocationReceived;
import org.aidledger.messages.fund.DonationReceived;
import org.aidledger.messages.fund.DonorType;
import org.aidledger.messages.fund.PayoutCategory;
import org.aidledger.messages.fund.PayoutPaid;
import org.aidledger.messages.fund.SubsidyReserveDeposited;
import org.aidledger.messages.fund.SubsidyReserveWithdrawn;
import org.aidledger.messages.loan.LoanDisbursed;
import org.aidledger.messages.loan.RepaymentReceived;
import org.aidledger.messages.money.Money;
import org.junit.jupiter.api.Test;

/** The entry each financial event posts: the right accounts, and debits equal credits. */
class JournalPostingsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 5, 1);
    private static final Money AMOUNT = Money.ofMinor(12_345, "CNY");

    private static long sum(List<Posting> postings) {
        return postings.stream().mapToLong(Posting::amountMinor).sum();
    }

    @Test
    void donationDebitsCashAndCreditsDonationIncome() {
        List<Posting> p = JournalPostings.of(new DonationReceived("f", "t", AMOUNT,
                DonorType.COMPANY, null, null, null, DAY));
        assertThat(p).containsExactly(new Posting(Accounts.CASH, 12_345),
                new Posting(Accounts.DONATION_INCOME, -12_345));
    }

    @Test
    void restrictedDonationIsKeptApart() {
        List<Posting> p = JournalPostings.of(new DonationReceived("f", "t", AMOUNT,
                DonorType.INDIVIDUAL, "m-1", null, "EDUCATION", DAY));
        assertThat(p).extracting(Posting::account)
                .containsExactly(Accounts.CASH, Accounts.RESTRICTED_DONATION_INCOME);
        assertThat(sum(p)).isZero();
    }

    @Test
    void allocationsAndSubsidiesHaveTheirOwnIncome() {
        assertThat(JournalPostings.of(new AllocationReceived("f", "t", AMOUNT,
                AllocationKind.ALLOCATION, "city", DAY))).extracting(Posting::account)
                .containsExactly(Accounts.CASH, Accounts.ALLOCATION_INCOME);
        assertThat(JournalPostings.of(new AllocationReceived("f", "t", AMOUNT,
                AllocationKind.GOVERNMENT_SUBSIDY, "gov", DAY))).extracting(Posting::account)
                .containsExactly(Accounts.CASH, Accounts.SUBSIDY_INCOME);
    }

    @Test
    void reserveMovesBetweenCashAndThePartner() {
        assertThat(JournalPostings.of(new SubsidyReserveDeposited("f", "t", "cu-1", AMOUNT,
                DAY))).containsExactly(new Posting("ASSET:RESERVE:cu-1", 12_345),
                new Posting(Accounts.CASH, -12_345));
        assertThat(JournalPostings.of(new SubsidyReserveWithdrawn("f", "t", "cu-1", AMOUNT,
                DAY))).containsExactly(new Posting(Accounts.CASH, 12_345),
                new Posting("ASSET:RESERVE:cu-1", -12_345));
    }

    @Test
    void payoutIsAnExpenseByCategory() {
        assertThat(JournalPostings.of(new PayoutPaid("f", "p", PayoutCategory.FESTIVAL, AMOUNT,
                DAY))).containsExactly(new Posting("EXPENSE:PAYOUT:FESTIVAL", 12_345),
                new Posting(Accounts.CASH, -12_345));
    }

    @Test
    void loanDisbursementMovesCashIntoTheReceivable() {
        assertThat(JournalPostings.of(new LoanDisbursed("f", "l", AMOUNT, List.of(), DAY)))
                .containsExactly(new Posting(Accounts.LOANS_RECEIVABLE, 12_345),
                        new Posting(Accounts.CASH, -12_345));
    }

    @Test
    void repaymentSplitsIntoPrincipalInterestAndPenalty() {
        List<Posting> p = JournalPostings.of(new RepaymentReceived("f", "l", "t",
                Money.ofMinor(1_000, "CNY"), 50, 150, 800, List.of(), 0, DAY));
        assertThat(p).containsExactly(new Posting(Accounts.CASH, 1_000),
                new Posting(Accounts.LOANS_RECEIVABLE, -800),
                new Posting(Accounts.INTEREST_INCOME, -150),
                new Posting(Accounts.PENALTY_INCOME, -50));
        assertThat(sum(p)).isZero();
    }

    @Test
    void reversingNegatesEveryLine() {
        List<Posting> original = JournalPostings.of(new PayoutPaid("f", "p",
                PayoutCategory.MEDICAL, AMOUNT, DAY));
        List<Posting> reversal = JournalPostings.reversing(original);
        assertThat(reversal).containsExactly(new Posting("EXPENSE:PAYOUT:MEDICAL", -12_345),
                new Posting(Accounts.CASH, 12_345));
        assertThat(sum(original) + sum(reversal)).isZero();
    }
}
