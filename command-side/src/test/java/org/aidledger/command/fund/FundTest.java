package org.aidledger.command.fund;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.time.YearMonth;
import java.util.Map;
import org.aidledger.command.support.OverdueCalendar;
import org.aidledger.messages.fund.AllocationKind;
import org.aidledger.messages.fund.AllocationReceived;
import org.aidledger.messages.fund.ApprovePayout;
import org.aidledger.messages.fund.CloseFund;
import org.aidledger.messages.fund.ClosePeriod;
import org.aidledger.messages.fund.DepositReserve;
import org.aidledger.messages.fund.DonationReceived;
import org.aidledger.messages.fund.DonorType;
import org.aidledger.messages.fund.FundClosed;
import org.aidledger.messages.fund.FundOpened;
import org.aidledger.messages.fund.FundPurpose;
import org.aidledger.messages.fund.OpenFund;
import org.aidledger.messages.fund.BatchPayoutLine;
import org.aidledger.messages.fund.PayPayout;
import org.aidledger.messages.fund.PayPayoutBatch;
import org.aidledger.messages.fund.PayoutBatchPartPaid;
import org.aidledger.messages.fund.PayoutApproved;
import org.aidledger.messages.fund.PayoutCategory;
import org.aidledger.messages.fund.PayoutPaid;
import org.aidledger.messages.fund.PayoutRejected;
import org.aidledger.messages.fund.PayoutRequested;
import org.aidledger.messages.fund.PeriodClosed;
import org.aidledger.messages.fund.RecordAllocation;
import org.aidledger.messages.fund.RecordDonation;
import org.aidledger.messages.fund.RejectPayout;
import org.aidledger.messages.fund.RequestPayout;
import org.aidledger.messages.fund.ReverseTransaction;
import org.aidledger.messages.fund.SubsidyReserveDeposited;
import org.aidledger.messages.fund.SubsidyReserveWithdrawn;
import org.aidledger.messages.fund.TransactionKind;
import org.aidledger.messages.fund.TransactionReversed;
import org.aidledger.messages.fund.WithdrawReserve;
import org.aidledger.messages.loan.AllocationOrder;
import org.aidledger.messages.loan.ApplyForLoan;
import org.aidledger.messages.loan.LoanPolicySet;
import org.aidledger.messages.loan.PenaltyAccrued;
import org.aidledger.messages.loan.SetLoanPolicy;
import org.aidledger.messages.loan.ApproveLoan;
import org.aidledger.messages.loan.DisburseLoan;
import org.aidledger.messages.loan.InstalmentPayment;
import org.aidledger.messages.loan.LoanOverdue;
import org.aidledger.messages.loan.LoanApplied;
import org.aidledger.messages.loan.LoanApproved;
import org.aidledger.messages.loan.LoanClosed;
import org.aidledger.messages.loan.LoanDisbursed;
import org.aidledger.messages.loan.LoanMethod;
import org.aidledger.messages.loan.RecordRepayment;
import org.aidledger.messages.loan.LoanRescheduled;
import org.aidledger.messages.loan.RepaymentReceived;
import org.aidledger.messages.loan.RescheduleLoan;
import org.aidledger.messages.loan.ScheduledInstalment;
import org.aidledger.messages.money.Money;
import org.aidledger.messages.rules.Rule;
import org.aidledger.messages.rules.RuleViolation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.Description;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every rule of the fund aggregate, the accepted case and the refused one. */
class FundTest {

    private static final String FUND = "fund-1";
    private static final LocalDate OPENED = LocalDate.of(2026, 1, 1);
    private static final LocalDate DAY = LocalDate.of(2026, 3, 10);
    private static final Map<String, Object> ALICE = Map.of("actor", "alice");
    private static final Map<String, Object> BOB = Map.of("actor", "bob");

    private AggregateTestFixture<Fund> fixture;

    /** The handlers that live outside the aggregate, reduced to their calls into it. */
    class OutsideHandlers {
        @CommandHandler
        public String handle(OpenFund cmd) throws Exception {
            fixture.getRepository().newInstance(() -> new Fund(cmd));
            return cmd.fundId();
        }

        @CommandHandler
        public String handle(DepositReserve cmd) {
            fixture.getRepository().load(cmd.fundId()).execute(f -> f.depositReserve(cmd));
            return cmd.transactionId();
        }
    }

    @BeforeEach
    void fixture() {
        fixture = new AggregateTestFixture<>(Fund.class);
        fixture.registerInjectableResource(new OverdueCalendar("Asia/Shanghai", 1));
        fixture.registerAnnotatedCommandHandler(new OutsideHandlers());
    }

    static Money cny(long minor) {
        return Money.ofMinor(minor, "CNY");
    }

    static FundOpened opened(long thresholdMinor) {
        return new FundOpened(FUND, "body-1", "Hardship", FundPurpose.HARDSHIP, "CNY",
                cny(thresholdMinor), OPENED);
    }

    static DonationReceived donated(String tx, long minor) {
        return new DonationReceived(FUND, tx, cny(minor), DonorType.COMPANY, "acme", null, null,
                DAY);
    }

    static RecordDonation donate(String tx, Money amount) {
        return new RecordDonation(FUND, tx, amount, DonorType.COMPANY, "acme", null, null, DAY);
    }

    static RequestPayout requestPayout(String payoutId, long minor) {
        return new RequestPayout(FUND, payoutId, "ben-1", PayoutCategory.MEDICAL, cny(minor),
                "hospital", DAY);
    }

    static PayoutRequested requested(String payoutId, long minor, boolean approvalRequired) {
        return new PayoutRequested(FUND, payoutId, "ben-1", PayoutCategory.MEDICAL, cny(minor),
                "hospital", "alice", approvalRequired, DAY);
    }

    static void refused(ResultValidator<Fund> result, Rule rule) {
        result.expectNoEvents().expectException(new TypeSafeMatcher<RuleViolation>() {
            @Override
            protected boolean matchesSafely(RuleViolation violation) {
                return violation.rule() == rule;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a refusal naming rule " + rule);
            }
        });
    }

    @Nested
    class Opening {
        @Test
        void opensWithThreshold() {
            fixture.givenNoPriorActivity()
                    .when(new OpenFund(FUND, "body-1", "Hardship", FundPurpose.HARDSHIP, "CNY",
                            cny(200_000), OPENED))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(opened(200_000));
        }

        @Test
        void refusesThresholdInAnotherCurrency() {
            refused(fixture.givenNoPriorActivity().when(new OpenFund(FUND, "body-1", "Hardship",
                    FundPurpose.HARDSHIP, "CNY", Money.ofMinor(100, "USD"), OPENED)),
                    Rule.CURRENCY_MISMATCH);
        }

        @Test
        void refusesNegativeThreshold() {
            refused(fixture.givenNoPriorActivity().when(new OpenFund(FUND, "body-1", "Hardship",
                    FundPurpose.HARDSHIP, "CNY", cny(-1), OPENED)), Rule.AMOUNT_NOT_POSITIVE);
        }
    }

    @Nested
    class MoneyIn {
        @Test
        void recordsDonation() {
            fixture.given(opened(200_000)).when(donate("tx-1", cny(10_000)))
                    .expectEvents(donated("tx-1", 10_000));
        }

        @Test
        void recordsAllocation() {
            fixture.given(opened(200_000))
                    .when(new RecordAllocation(FUND, "tx-1", cny(5_000),
                            AllocationKind.GOVERNMENT_SUBSIDY, "city", DAY))
                    .expectEvents(new AllocationReceived(FUND, "tx-1", cny(5_000),
                            AllocationKind.GOVERNMENT_SUBSIDY, "city", DAY));
        }

        @Test
        void refusesWrongCurrency() {
            refused(fixture.given(opened(200_000)).when(donate("tx-1",
                    Money.ofMinor(100, "USD"))), Rule.CURRENCY_MISMATCH);
        }

        @Test
        void refusesZero() {
            refused(fixture.given(opened(200_000)).when(donate("tx-1", cny(0))),
                    Rule.AMOUNT_NOT_POSITIVE);
        }

        @Test
        void refusesNegative() {
            refused(fixture.given(opened(200_000)).when(donate("tx-1", cny(-5))),
                    Rule.AMOUNT_NOT_POSITIVE);
        }

        @Test
        void refusesOverMaximum() {
            refused(fixture.given(opened(200_000)).when(donate("tx-1",
                    cny(Money.TRANSACTION_MAX_MINOR + 1))), Rule.AMOUNT_TOO_LARGE);
        }

        @Test
        void refusesRepeatedTransactionId() {
            refused(fixture.given(opened(200_000), donated("tx-1", 100))
                    .when(donate("tx-1", cny(100))), Rule.CLIENT_TRANSACTION_ID_REUSED);
        }

        @Test
        void refusesValueDateBeforeOpening() {
            refused(fixture.given(opened(200_000)).when(new RecordDonation(FUND, "tx-1",
                    cny(100), DonorType.COMPANY, null, null, null, OPENED.minusDays(1))),
                    Rule.VALUE_DATE_TOO_EARLY);
        }

        @Test
        void refusesIntoClosedFund() {
            refused(fixture.given(opened(200_000), new FundClosed(FUND, "done", DAY))
                    .when(donate("tx-1", cny(100))), Rule.FUND_CLOSED);
        }
    }

    @Nested
    class Reserves {
        @Test
        void depositsWhatIsAvailable() {
            fixture.given(opened(200_000), donated("tx-1", 1_000))
                    .when(new DepositReserve(FUND, "tx-2", "cu-1", cny(1_000), DAY))
                    .expectEvents(new SubsidyReserveDeposited(FUND, "tx-2", "cu-1", cny(1_000),
                            DAY));
        }

        @Test
        void refusesDepositBeyondAvailableCashWhichExcludesCommitments() {
            refused(fixture.given(opened(200_000), donated("tx-1", 1_000),
                    requested("p-1", 600, false),
                    new PayoutApproved(FUND, "p-1", cny(600), "alice", true))
                    .when(new DepositReserve(FUND, "tx-2", "cu-1", cny(401), DAY)),
                    Rule.INSUFFICIENT_AVAILABLE_CASH);
        }

        @Test
        void withdrawsUpToTheReserve() {
            fixture.given(opened(200_000), donated("tx-1", 1_000),
                    new SubsidyReserveDeposited(FUND, "tx-2", "cu-1", cny(800), DAY))
                    .when(new WithdrawReserve(FUND, "tx-3", "cu-1", cny(800), DAY))
                    .expectEvents(new SubsidyReserveWithdrawn(FUND, "tx-3", "cu-1", cny(800),
                            DAY));
        }

        @Test
        void refusesWithdrawalFromPartnerWithoutReserve() {
            refused(fixture.given(opened(200_000), donated("tx-1", 1_000))
                    .when(new WithdrawReserve(FUND, "tx-3", "cu-9", cny(1), DAY)),
                    Rule.RESERVE_NOT_FOUND);
        }

        @Test
        void refusesWithdrawalBeyondReserve() {
            refused(fixture.given(opened(200_000), donated("tx-1", 1_000),
                    new SubsidyReserveDeposited(FUND, "tx-2", "cu-1", cny(800), DAY))
                    .when(new WithdrawReserve(FUND, "tx-3", "cu-1", cny(801), DAY)),
                    Rule.INSUFFICIENT_RESERVE);
        }
    }

    @Nested
    class Payouts {
        @Test
        void atThresholdIsApprovedAutomatically() {
            fixture.given(opened(2_000), donated("tx-1", 5_000))
                    .when(requestPayout("p-1", 2_000), ALICE)
                    .expectResultMessagePayload("APPROVED")
                    .expectEvents(requested("p-1", 2_000, false),
                            new PayoutApproved(FUND, "p-1", cny(2_000), "alice", true));
        }

        @Test
        void aboveThresholdAwaitsApproval() {
            fixture.given(opened(2_000), donated("tx-1", 5_000))
                    .when(requestPayout("p-1", 2_001), ALICE)
                    .expectResultMessagePayload("AWAITING_APPROVAL")
                    .expectEvents(requested("p-1", 2_001, true));
        }

        @Test
        void refusesRequestAboveAvailable() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000))
                    .when(requestPayout("p-1", 5_001), ALICE), Rule.INSUFFICIENT_AVAILABLE_CASH);
        }

        @Test
        void committedMoneyIsNotAvailableTwice() {
            refused(fixture.given(opened(2_000), donated("tx-1", 3_000),
                    requested("p-1", 2_000, false),
                    new PayoutApproved(FUND, "p-1", cny(2_000), "alice", true))
                    .when(requestPayout("p-2", 1_001), ALICE), Rule.INSUFFICIENT_AVAILABLE_CASH);
        }

        @Test
        void anotherPersonApproves() {
            fixture.given(opened(2_000), donated("tx-1", 5_000), requested("p-1", 3_000, true))
                    .when(new ApprovePayout(FUND, "p-1"), BOB)
                    .expectEvents(new PayoutApproved(FUND, "p-1", cny(3_000), "bob", false));
        }

        @Test
        void requesterCannotApprove() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000),
                    requested("p-1", 3_000, true))
                    .when(new ApprovePayout(FUND, "p-1"), ALICE), Rule.SELF_APPROVAL);
        }

        @Test
        void approvalNeedsThePayoutToAwaitIt() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000),
                    requested("p-1", 1_000, false),
                    new PayoutApproved(FUND, "p-1", cny(1_000), "alice", true))
                    .when(new ApprovePayout(FUND, "p-1"), BOB),
                    Rule.PAYOUT_NOT_AWAITING_APPROVAL);
        }

        @Test
        void approvalRefusedWhenCashWasCommittedMeanwhile() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000),
                    requested("p-1", 3_000, true), requested("p-2", 2_500, true),
                    new PayoutApproved(FUND, "p-2", cny(2_500), "bob", false))
                    .when(new ApprovePayout(FUND, "p-1"), BOB),
                    Rule.INSUFFICIENT_AVAILABLE_CASH);
        }

        @Test
        void anotherPersonRejects() {
            fixture.given(opened(2_000), donated("tx-1", 5_000), requested("p-1", 3_000, true))
                    .when(new RejectPayout(FUND, "p-1", "not on file"), BOB)
                    .expectEvents(new PayoutRejected(FUND, "p-1", "bob", "not on file"));
        }

        @Test
        void requesterCannotReject() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000),
                    requested("p-1", 3_000, true))
                    .when(new RejectPayout(FUND, "p-1", "changed my mind"), ALICE),
                    Rule.SELF_APPROVAL);
        }

        @Test
        void paysApproved() {
            fixture.given(opened(2_000), donated("tx-1", 5_000), requested("p-1", 1_000, false),
                    new PayoutApproved(FUND, "p-1", cny(1_000), "alice", true))
                    .when(new PayPayout(FUND, "p-1", DAY))
                    .expectEvents(new PayoutPaid(FUND, "p-1", PayoutCategory.MEDICAL,
                            cny(1_000), DAY));
        }

        @Test
        void refusesPayingUnapproved() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000),
                    requested("p-1", 3_000, true))
                    .when(new PayPayout(FUND, "p-1", DAY)), Rule.PAYOUT_NOT_APPROVED);
        }

        @Test
        void refusesPayingTwice() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000),
                    requested("p-1", 1_000, false),
                    new PayoutApproved(FUND, "p-1", cny(1_000), "alice", true),
                    new PayoutPaid(FUND, "p-1", PayoutCategory.MEDICAL, cny(1_000), DAY))
                    .when(new PayPayout(FUND, "p-1", DAY)), Rule.PAYOUT_NOT_APPROVED);
        }

        @Test
        void refusesPayingBeforeTheRequest() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000),
                    requested("p-1", 1_000, false),
                    new PayoutApproved(FUND, "p-1", cny(1_000), "alice", true))
                    .when(new PayPayout(FUND, "p-1", DAY.minusDays(1))),
                    Rule.VALUE_DATE_TOO_EARLY);
        }

        @Test
        void refusesUnknownPayout() {
            refused(fixture.given(opened(2_000)).when(new PayPayout(FUND, "p-9", DAY)),
                    Rule.PAYOUT_NOT_FOUND);
        }
    }

    @Nested
    class PayoutBatches {
        private PayPayoutBatch batch(String id, long... minors) {
            List<BatchPayoutLine> lines = new java.util.ArrayList<>();
            for (int i = 0; i < minors.length; i++) {
                lines.add(new BatchPayoutLine("w-" + i, minors[i]));
            }
            return new PayPayoutBatch(FUND, id, PayoutCategory.FESTIVAL, "festival", "CNY", DAY,
                    lines);
        }

        @Test
        void paysEveryLineInPartsOfAThousand() {
            long[] amounts = new long[2_001];
            java.util.Arrays.fill(amounts, 100);
            PayPayoutBatch cmd = batch("b-1", amounts);
            fixture.given(opened(500), donated("tx-1", 300_000))
                    .when(cmd, ALICE)
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayload(2_001)
                    .expectEvents(
                            new PayoutBatchPartPaid(FUND, "b-1", 1, 3, 1, PayoutCategory.FESTIVAL,
                                    "festival", cny(100_000), cmd.lines().subList(0, 1_000), DAY),
                            new PayoutBatchPartPaid(FUND, "b-1", 2, 3, 1_001,
                                    PayoutCategory.FESTIVAL, "festival", cny(100_000),
                                    cmd.lines().subList(1_000, 2_000), DAY),
                            new PayoutBatchPartPaid(FUND, "b-1", 3, 3, 2_001,
                                    PayoutCategory.FESTIVAL, "festival", cny(100),
                                    cmd.lines().subList(2_000, 2_001), DAY));
        }

        @Test
        void refusesALineAboveTheThreshold() {
            refused(fixture.given(opened(500), donated("tx-1", 5_000))
                    .when(batch("b-1", 100, 501), ALICE), Rule.BATCH_LINE_NEEDS_APPROVAL);
        }

        @Test
        void refusesATotalAboveAvailable() {
            refused(fixture.given(opened(500), donated("tx-1", 5_000),
                    requested("p-1", 4_500, false),
                    new PayoutApproved(FUND, "p-1", cny(4_500), "alice", true))
                    .when(batch("b-1", 300, 201), ALICE), Rule.INSUFFICIENT_AVAILABLE_CASH);
        }

        @Test
        void refusesTheSameBeneficiaryTwice() {
            PayPayoutBatch twice = new PayPayoutBatch(FUND, "b-1", PayoutCategory.FESTIVAL,
                    "festival", "CNY", DAY, List.of(new BatchPayoutLine("w-1", 100),
                    new BatchPayoutLine("w-1", 100)));
            refused(fixture.given(opened(500), donated("tx-1", 5_000)).when(twice, ALICE),
                    Rule.BATCH_DUPLICATE_BENEFICIARY);
        }

        @Test
        void refusesAnEmptyBatchAZeroLineAndAnotherCurrency() {
            refused(fixture.given(opened(500), donated("tx-1", 5_000))
                    .when(batch("b-1"), ALICE), Rule.BATCH_EMPTY);
            refused(fixture.given(opened(500), donated("tx-1", 5_000))
                    .when(batch("b-1", 100, 0), ALICE), Rule.AMOUNT_NOT_POSITIVE);
            refused(fixture.given(opened(500), donated("tx-1", 5_000))
                    .when(new PayPayoutBatch(FUND, "b-1", PayoutCategory.FESTIVAL, "r", "USD",
                            DAY, List.of(new BatchPayoutLine("w", 1))), ALICE),
                    Rule.CURRENCY_MISMATCH);
        }

        @Test
        void refusesAReusedBatchIdAndAClosedFund() {
            refused(fixture.given(opened(500), donated("tx-1", 5_000))
                    .when(batch("tx-1", 100), ALICE), Rule.CLIENT_TRANSACTION_ID_REUSED);
            refused(fixture.given(opened(500), new FundClosed(FUND, "done", DAY))
                    .when(batch("b-1", 100), ALICE), Rule.FUND_CLOSED);
        }

        @Test
        void reversingTheBatchReturnsItsWholeTotal() {
            List<BatchPayoutLine> lines = List.of(new BatchPayoutLine("w-1", 300),
                    new BatchPayoutLine("w-2", 200));
            fixture.given(opened(500), donated("tx-1", 5_000),
                    new PayoutBatchPartPaid(FUND, "b-1", 1, 1, 1, PayoutCategory.FESTIVAL, "f",
                            cny(500), lines, DAY))
                    .when(new ReverseTransaction(FUND, "tx-9", "b-1", "wrong fund", DAY))
                    .expectEvents(new TransactionReversed(FUND, "tx-9", "b-1",
                            TransactionKind.PAYOUT_BATCH, cny(500), null, "wrong fund", DAY));
        }
    }

    @Nested
    class Reversals {
        private ReverseTransaction reverse(String original) {
            return new ReverseTransaction(FUND, "rev-1", original, "entered by mistake", DAY);
        }

        @Test
        void reversesDonation() {
            fixture.given(opened(2_000), donated("tx-1", 700))
                    .when(reverse("tx-1"))
                    .expectEvents(new TransactionReversed(FUND, "rev-1", "tx-1",
                            TransactionKind.DONATION, cny(700), null, "entered by mistake", DAY));
        }

        @Test
        void reversesReserveDepositBackIntoCash() {
            fixture.given(opened(2_000), donated("tx-1", 700),
                    new SubsidyReserveDeposited(FUND, "tx-2", "cu-1", cny(500), DAY))
                    .when(reverse("tx-2"))
                    .expectEvents(new TransactionReversed(FUND, "rev-1", "tx-2",
                            TransactionKind.RESERVE_DEPOSIT, cny(500), "cu-1",
                            "entered by mistake", DAY));
        }

        @Test
        void reversesPaidPayout() {
            fixture.given(opened(2_000), donated("tx-1", 700), requested("p-1", 300, false),
                    new PayoutApproved(FUND, "p-1", cny(300), "alice", true),
                    new PayoutPaid(FUND, "p-1", PayoutCategory.MEDICAL, cny(300), DAY))
                    .when(reverse("p-1"))
                    .expectEvents(new TransactionReversed(FUND, "rev-1", "p-1",
                            TransactionKind.PAYOUT, cny(300), null, "entered by mistake", DAY));
        }

        @Test
        void refusesReversingTwice() {
            refused(fixture.given(opened(2_000), donated("tx-1", 700),
                    new TransactionReversed(FUND, "rev-0", "tx-1", TransactionKind.DONATION,
                            cny(700), null, "x", DAY))
                    .when(reverse("tx-1")), Rule.TRANSACTION_ALREADY_REVERSED);
        }

        @Test
        void refusesReversingAReversal() {
            refused(fixture.given(opened(2_000), donated("tx-1", 700),
                    new TransactionReversed(FUND, "rev-0", "tx-1", TransactionKind.DONATION,
                            cny(700), null, "x", DAY))
                    .when(reverse("rev-0")), Rule.TRANSACTION_NOT_REVERSIBLE);
        }

        @Test
        void refusesUnknownTransaction() {
            refused(fixture.given(opened(2_000)).when(reverse("tx-9")),
                    Rule.TRANSACTION_NOT_FOUND);
        }

        @Test
        void refusesWithoutReason() {
            refused(fixture.given(opened(2_000), donated("tx-1", 700))
                    .when(new ReverseTransaction(FUND, "rev-1", "tx-1", " ", DAY)),
                    Rule.FIELD_REQUIRED);
        }

        @Test
        void refusesTakingBackADonationAlreadySpent() {
            refused(fixture.given(opened(2_000), donated("tx-1", 700),
                    requested("p-1", 500, false),
                    new PayoutApproved(FUND, "p-1", cny(500), "alice", true),
                    new PayoutPaid(FUND, "p-1", PayoutCategory.MEDICAL, cny(500), DAY))
                    .when(reverse("tx-1")), Rule.INSUFFICIENT_AVAILABLE_CASH);
        }

        @Test
        void refusesReversalDatedBeforeTheOriginal() {
            refused(fixture.given(opened(2_000), donated("tx-1", 700))
                    .when(new ReverseTransaction(FUND, "rev-1", "tx-1", "x", DAY.minusDays(1))),
                    Rule.VALUE_DATE_TOO_EARLY);
        }
    }

    @Nested
    class Closing {
        @Test
        void closesEmptyFund() {
            fixture.given(opened(2_000)).when(new CloseFund(FUND, "merged", DAY))
                    .expectEvents(new FundClosed(FUND, "merged", DAY));
        }

        @Test
        void refusesClosingFundWithCash() {
            refused(fixture.given(opened(2_000), donated("tx-1", 1))
                    .when(new CloseFund(FUND, "merged", DAY)), Rule.FUND_NOT_EMPTY);
        }

        @Test
        void refusesClosingWithOpenPayout() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000),
                    requested("p-1", 3_000, true))
                    .when(new CloseFund(FUND, "merged", DAY)), Rule.FUND_HAS_OPEN_PAYOUTS);
        }

        @Test
        void closedFundRefusesPayouts() {
            refused(fixture.given(opened(2_000), new FundClosed(FUND, "merged", DAY))
                    .when(requestPayout("p-1", 1), ALICE), Rule.FUND_CLOSED);
        }

        @Test
        void closesPeriod() {
            fixture.given(opened(2_000)).when(new ClosePeriod(FUND, YearMonth.of(2026, 2)))
                    .expectEvents(new PeriodClosed(FUND, YearMonth.of(2026, 2),
                            LocalDate.of(2026, 2, 28)));
        }

        @Test
        void refusesEntriesDatedInAClosedPeriod() {
            refused(fixture.given(opened(2_000), new PeriodClosed(FUND, YearMonth.of(2026, 3),
                    LocalDate.of(2026, 3, 31))).when(donate("tx-1", cny(100))),
                    Rule.PERIOD_CLOSED);
        }

        @Test
        void refusesClosingAClosedPeriodAgain() {
            refused(fixture.given(opened(2_000), new PeriodClosed(FUND, YearMonth.of(2026, 3),
                    LocalDate.of(2026, 3, 31))).when(new ClosePeriod(FUND,
                    YearMonth.of(2026, 2))), Rule.PERIOD_ALREADY_CLOSED);
        }
    }

    @Nested
    class Loans {
        private static final LocalDate DISBURSED = LocalDate.of(2026, 1, 10);
        private static final LocalDate FIRST_DUE = LocalDate.of(2026, 2, 10);

        private ApplyForLoan application(String rate, int months) {
            return new ApplyForLoan(FUND, "loan-1", "worker-1", cny(1_200_00),
                    new BigDecimal(rate), months, LoanMethod.EQUAL_PRINCIPAL, "stall", DAY);
        }

        private LoanApplied applied() {
            return new LoanApplied(FUND, "loan-1", "worker-1", cny(1_200_00),
                    new BigDecimal("0.12"), 12, LoanMethod.EQUAL_PRINCIPAL, "stall", "alice",
                    DISBURSED);
        }

        private List<ScheduledInstalment> schedule() {
            List<ScheduledInstalment> lines = new java.util.ArrayList<>();
            long remaining = 1_200_00;
            for (int k = 1; k <= 12; k++) {
                lines.add(new ScheduledInstalment(k, FIRST_DUE.plusMonths(k - 1), 10_000,
                        remaining / 100));
                remaining -= 10_000;
            }
            return lines;
        }

        private Object[] active() {
            return new Object[] {opened(2_000), donated("tx-1", 5_000_00), applied(),
                    new LoanApproved(FUND, "loan-1", "bob"),
                    new LoanDisbursed(FUND, "loan-1", cny(1_200_00), schedule(), DISBURSED)};
        }

        @Test
        void appliesWithValidTerms() {
            fixture.given(opened(2_000)).when(application("0.12", 12), ALICE)
                    .expectEvents(new LoanApplied(FUND, "loan-1", "worker-1", cny(1_200_00),
                            new BigDecimal("0.12"), 12, LoanMethod.EQUAL_PRINCIPAL, "stall",
                            "alice", DAY));
        }

        @Test
        void refusesRateAboveOneHundredPercent() {
            refused(fixture.given(opened(2_000)).when(application("1.01", 12), ALICE),
                    Rule.LOAN_TERMS_INVALID);
        }

        @Test
        void refusesTermBeyondThirtyYears() {
            refused(fixture.given(opened(2_000)).when(application("0.12", 361), ALICE),
                    Rule.LOAN_TERMS_INVALID);
        }

        @Test
        void applicantsRecorderCannotApprove() {
            refused(fixture.given(opened(2_000), applied())
                    .when(new ApproveLoan(FUND, "loan-1"), ALICE), Rule.SELF_APPROVAL);
        }

        @Test
        void anotherPersonApproves() {
            fixture.given(opened(2_000), applied()).when(new ApproveLoan(FUND, "loan-1"), BOB)
                    .expectEvents(new LoanApproved(FUND, "loan-1", "bob"));
        }

        @Test
        void refusesDisbursingUnapproved() {
            refused(fixture.given(opened(2_000), donated("tx-1", 5_000_00), applied())
                    .when(new DisburseLoan(FUND, "loan-1", FIRST_DUE, DISBURSED)),
                    Rule.LOAN_NOT_APPROVED);
        }

        @Test
        void refusesDisbursingBeyondAvailableCash() {
            refused(fixture.given(opened(2_000), donated("tx-1", 1_199_99), applied(),
                    new LoanApproved(FUND, "loan-1", "bob"))
                    .when(new DisburseLoan(FUND, "loan-1", FIRST_DUE, DISBURSED)),
                    Rule.INSUFFICIENT_AVAILABLE_CASH);
        }

        @Test
        void disbursesWithItsSchedule() {
            fixture.given(opened(2_000), donated("tx-1", 5_000_00), applied(),
                    new LoanApproved(FUND, "loan-1", "bob"))
                    .when(new DisburseLoan(FUND, "loan-1", FIRST_DUE, DISBURSED))
                    .expectEvents(new LoanDisbursed(FUND, "loan-1", cny(1_200_00), schedule(),
                            DISBURSED));
        }

        @Test
        void disbursementSchedulesADeadlinePerInstalment() {
            fixture.given(opened(2_000), donated("tx-1", 5_000_00), applied(),
                    new LoanApproved(FUND, "loan-1", "bob"))
                    .when(new DisburseLoan(FUND, "loan-1", FIRST_DUE, DISBURSED))
                    .expectScheduledDeadlineWithName(
                            java.time.Duration.between(fixture.currentTime(),
                                    new OverdueCalendar("Asia/Shanghai", 1).checkAt(FIRST_DUE)),
                            OverdueCalendar.DEADLINE);
        }

        @Test
        void deadlineFlagsAnUnpaidInstalment() {
            fixture.given(opened(2_000), donated("tx-1", 5_000_00), applied(),
                    new LoanApproved(FUND, "loan-1", "bob"))
                    .andGivenCommands(new DisburseLoan(FUND, "loan-1", FIRST_DUE, DISBURSED))
                    .whenThenTimeElapses(java.time.Duration.ofDays(3650))
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers
                            .payloadsMatching(org.axonframework.test.matchers.Matchers
                                    .listWithAnyOf(org.hamcrest.Matchers.equalTo(
                                            new LoanOverdue(FUND, "loan-1", 1, FIRST_DUE, 112_00,
                                                    FIRST_DUE.plusDays(1))))));
        }

        @Test
        void refusesDisbursingTwice() {
            refused(fixture.given(active())
                    .when(new DisburseLoan(FUND, "loan-1", FIRST_DUE, DISBURSED)),
                    Rule.LOAN_ALREADY_DISBURSED);
        }

        @Test
        void refusesRepaymentBeforeDisbursement() {
            refused(fixture.given(opened(2_000), applied())
                    .when(new RecordRepayment(FUND, "loan-1", "r-1", cny(100), DAY)),
                    Rule.LOAN_NOT_DISBURSED);
        }

        @Test
        void repaymentGoesToInterestDueThenPrincipal() {
            // On the first due date 12.00 interest and 100.00 principal are due.
            fixture.given(active())
                    .when(new RecordRepayment(FUND, "loan-1", "r-1", cny(50_00), FIRST_DUE))
                    .expectEvents(new RepaymentReceived(FUND, "loan-1", "r-1", cny(50_00), 0,
                            12_00, 38_00, List.of(new InstalmentPayment(1, 38_00, 12_00)),
                            1_162_00, FIRST_DUE));
        }

        @Test
        void penaltyAccruesOnOverduePrincipalAndIsPaidFirst() {
            // On the day of payment instalments 1, 2 and 3 (100.00 principal each) are 73, 45
            // and 14 days overdue; at 18% a year: 100.00 × 0.18 × 132 / 365 = 6.5096… = 6.51.
            LocalDate paidOn = FIRST_DUE.plusDays(73);
            Object[] given = java.util.stream.Stream.concat(java.util.Arrays.stream(active()),
                    java.util.stream.Stream.of(new LoanPolicySet(FUND, new BigDecimal("0.18"),
                            AllocationOrder.PENALTY_INTEREST_PRINCIPAL))).toArray();
            fixture.given(given)
                    .when(new RecordRepayment(FUND, "loan-1", "r-1", cny(10_00), paidOn))
                    .expectEvents(new PenaltyAccrued(FUND, "loan-1", 6_51, paidOn),
                            new RepaymentReceived(FUND, "loan-1", "r-1", cny(10_00), 6_51, 3_49,
                                    0, List.of(new InstalmentPayment(1, 0, 3_49)), 1_200_00,
                                    paidOn));
        }

        @Test
        void allocationOrderIsTheFunds() {
            LocalDate paidOn = FIRST_DUE.plusDays(73);
            Object[] given = java.util.stream.Stream.concat(java.util.Arrays.stream(active()),
                    java.util.stream.Stream.of(new LoanPolicySet(FUND, new BigDecimal("0.18"),
                            AllocationOrder.INTEREST_PRINCIPAL_PENALTY))).toArray();
            // 3 instalments are due by then (12.00 + 11.00 + 10.00 interest): 20.00 pays
            // 20.00 of interest and no penalty.
            fixture.given(given)
                    .when(new RecordRepayment(FUND, "loan-1", "r-1", cny(20_00), paidOn))
                    .expectEvents(new PenaltyAccrued(FUND, "loan-1", 6_51, paidOn),
                            new RepaymentReceived(FUND, "loan-1", "r-1", cny(20_00), 0, 20_00,
                                    0, List.of(new InstalmentPayment(1, 0, 12_00),
                                            new InstalmentPayment(2, 0, 8_00)), 1_200_00,
                                    paidOn));
        }

        @Test
        void reschedulesOutstandingPrincipalOverNewMonths() {
            fixture.given(active())
                    .when(new RescheduleLoan(FUND, "loan-1", 24, FIRST_DUE, "illness",
                            DISBURSED.plusDays(5)))
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers
                            .exactSequenceOf(org.axonframework.test.matchers.Matchers
                                    .messageWithPayload(org.hamcrest.Matchers.allOf(
                                            org.hamcrest.Matchers.instanceOf(
                                                    LoanRescheduled.class),
                                            org.hamcrest.Matchers.hasToString(
                                                    org.hamcrest.Matchers.containsString(
                                                            "version=2")))),
                                    org.axonframework.test.matchers.Matchers.andNoMore()));
        }

        @Test
        void refusesReschedulingOverArrears() {
            refused(fixture.given(active())
                    .when(new RescheduleLoan(FUND, "loan-1", 24, FIRST_DUE.plusMonths(2),
                            "illness", FIRST_DUE.plusDays(3))), Rule.LOAN_NOT_ACTIVE);
        }

        @Test
        void refusesPenaltyRateAboveOne() {
            refused(fixture.given(opened(2_000)).when(new SetLoanPolicy(FUND,
                    new BigDecimal("1.5"), AllocationOrder.PENALTY_INTEREST_PRINCIPAL)),
                    Rule.LOAN_TERMS_INVALID);
        }

        @Test
        void refusesOverpaymentNamingWhatIsOwed() {
            fixture.given(active())
                    .when(new RecordRepayment(FUND, "loan-1", "r-1", cny(1_212_01), FIRST_DUE))
                    .expectNoEvents()
                    .expectException(RuleViolation.class)
                    .expectExceptionMessage(org.hamcrest.Matchers.containsString("1212.00"));
        }

        @Test
        void fullRepaymentClosesTheLoan() {
            fixture.given(active())
                    .when(new RecordRepayment(FUND, "loan-1", "r-1", cny(1_212_00), FIRST_DUE))
                    .expectEvents(new RepaymentReceived(FUND, "loan-1", "r-1", cny(1_212_00), 0,
                            12_00, 1_200_00, List.of(new InstalmentPayment(1, 100_00, 12_00)),
                            0, FIRST_DUE), new LoanClosed(FUND, "loan-1", FIRST_DUE));
        }

        @Test
        void closedLoanTakesNoMoney() {
            refused(fixture.given(active()).andGiven(new RepaymentReceived(FUND, "loan-1", "r-1",
                    cny(1_212_00), 0, 12_00, 1_200_00,
                    List.of(new InstalmentPayment(1, 100_00, 12_00)), 0, FIRST_DUE),
                    new LoanClosed(FUND, "loan-1", FIRST_DUE))
                    .when(new RecordRepayment(FUND, "loan-1", "r-2", cny(1), FIRST_DUE)),
                    Rule.LOAN_CLOSED);
        }

        @Test
        void fundWithAnOutstandingLoanCannotClose() {
            refused(fixture.given(active()).when(new CloseFund(FUND, "x", DAY)),
                    Rule.FUND_HAS_OPEN_LOANS);
        }
    }
}
