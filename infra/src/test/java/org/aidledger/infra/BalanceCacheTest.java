package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.aidledger.messages.fund.DonationReceived;
import org.aidledger.messages.fund.DonorType;
import org.aidledger.messages.money.Money;
import org.aidledger.query.journal.LedgerProjection;
import org.aidledger.query.read.BalanceCache;
import org.aidledger.query.read.LedgerReads;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A fund's balances now are kept in memory (BalanceCache) and never answered from there once
 * they have changed: not after this node's projection commits a change, not after another
 * session commits one (another node's projection, or an operator's correction), and not while
 * the listener that hears of changes has lost its connection.
 *
 * <p>"Another session's change" is made here by SQL on the read model, as another node's
 * projection would make it. To show that reads really come from memory, one change is made
 * with the triggers switched off for its session (session_replication_role = replica), so
 * that it is not announced: the node keeps answering the old balance until the change is
 * announced by hand. Each such change is undone (announced) before the test ends, so that the
 * read models equal a replay again for the other tests.
 */
class BalanceCacheTest extends LedgerIntegrationTest {

    private static final Duration HEARD_WITHIN = Duration.ofSeconds(5);

    @Autowired
    BalanceCache cache;
    @Autowired
    MeterRegistry meters;
    @Autowired
    LedgerReads reads;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aSecondReadComesFromMemoryAndEveryCommittedChangeOfThisNodeIsSeenAtOnce() {
        String fundId = fundKept("100.00");
        double before = fromMemory();
        assertThat(balances(fundId).get("cash").asText()).isEqualTo("100.00");
        assertThat(fromMemory()).isEqualTo(before + 1);

        // Each read follows the projection's commit of the donation before it: the balance
        // kept from the read before must never be the answer.
        for (int i = 1; i <= 20; i++) {
            donate(fundId, "1.00");
            assertThat(balances(fundId).get("cash").asText())
                    .isEqualTo(String.format("%d.00", 100 + i));
            assertThat(balances(fundId).get("cash").asText())
                    .isEqualTo(String.format("%d.00", 100 + i));
        }
    }

    @Test
    void aChangeCommittedByAnotherSessionIsHeardAndAnUnannouncedOneIsNot() {
        String fundId = fundKept("100.00");
        try {
            // Unannounced: the triggers do not fire for this session.
            changeCashUnannounced(fundId, 5_00);
            assertThat(jdbc.queryForObject("SELECT balance_minor FROM account_balance"
                    + " WHERE fund_id = ? AND account = 'ASSET:CASH'", Long.class, fundId))
                    .isEqualTo(105_00L);
            assertThat(cash(fundId)).as("kept in memory").isEqualTo("100.00");

            // Announced, as the triggers announce every change on commit.
            jdbc.execute("SELECT pg_notify('" + BalanceCache.CHANNEL + "', '" + fundId + "')");
            awaitTrue(() -> cash(fundId).equals("105.00"), "the announced change is seen");

            // A change through the triggers, as another node's projection makes it.
            jdbc.update("UPDATE account_balance SET balance_minor = balance_minor + 200"
                    + " WHERE fund_id = ? AND account = 'ASSET:CASH'", fundId);
            awaitTrue(() -> cash(fundId).equals("107.00"), "the triggers' notice is heard");
        } finally {
            restoreCash(fundId, 100_00);
        }
        awaitTrue(() -> cash(fundId).equals("100.00"), "the undoing is heard");
    }

    @Test
    void withoutItsListenerTheNodeReadsTheDatabaseAndListensAgainSoon() {
        String fundId = fundKept("100.00");
        assertThat(cache.size()).isPositive();

        Integer ended = jdbc.queryForObject("SELECT count(pg_terminate_backend(pid))::int"
                + " FROM pg_stat_activity WHERE application_name = ?", Integer.class,
                BalanceCache.APPLICATION_NAME);
        assertThat(ended).isEqualTo(1);
        awaitTrue(() -> !cache.listening(), "the listener notices its connection is gone");
        assertThat(cache.size()).isZero();
        // The listener's dead connection is not lent to a read (a 500 before it was evicted).
        for (int i = 0; i < 25; i++) {
            assertThat(cash(fundId)).isEqualTo("100.00");
        }
        try {
            changeCashUnannounced(fundId, 5_00);
            // Not listening: every read goes to the database, announced or not.
            assertThat(cash(fundId)).isEqualTo("105.00");
            assertThat(cache.size()).isZero();
        } finally {
            restoreCash(fundId, 100_00);
        }
        awaitListening();
        awaitKept(fundId, "100.00");
        double before = fromMemory();
        assertThat(cash(fundId)).isEqualTo("100.00");
        assertThat(fromMemory()).as("kept again once listening").isEqualTo(before + 1);
    }

    @Test
    void aFundThisNodesProjectionIsChangingIsNotKeptUntilItsUnitOfWorkHasEnded() {
        String fundId = fundKept("100.00");
        LedgerReads.FundBalances kept = reads.balances(fundId, null, null);
        assertThat(reads.balances(fundId, null, null)).isSameAs(kept);
        assertThat(cache.keeps(fundId)).isTrue();
        LedgerProjection projection = new LedgerProjection(jdbc, new SimpleMeterRegistry(), 1,
                cache);
        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(projection);
        TrackedEventMessage<?> event = new GenericTrackedDomainEventMessage<>(
                new GlobalSequenceTrackingToken(4_100_000_000L), new GenericDomainEventMessage<>(
                        "Fund", fundId, 1_000, new DonationReceived(fundId, "d-" + run,
                        Money.ofMinor(5_00, "CNY"), DonorType.COMPANY, null, null, null,
                        LocalDate.parse("2026-10-15")), Map.of("actor", "admin")));
        // In a transaction rolled back at the end: nothing of it stays in the database.
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            status.setRollbackOnly();
            DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(event);
            try {
                handlers.handle(event);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            // Changing, its transaction not ended: dropped, and what is read is not kept.
            assertThat(cache.keeps(fundId)).isFalse();
            assertThat(reads.balances(fundId, null, null)).isNotSameAs(kept);
            assertThat(cache.keeps(fundId)).isFalse();
            unitOfWork.commit();
            // Read in the transaction, which sees its own uncommitted change: never kept.
            assertThat(reads.balances(fundId, null, null).cashMinor()).isEqualTo(105_00L);
            assertThat(cache.keeps(fundId)).isFalse();
        });
        // Its unit of work ended (and its transaction rolled back): kept again from the next
        // read, which does not see the change.
        assertThat(reads.balances(fundId, null, null).cashMinor()).isEqualTo(100_00L);
        assertThat(cache.keeps(fundId)).isTrue();
        assertThat(cash(fundId)).isEqualTo("100.00");
    }

    @Test
    void anAnnouncementOfEveryFundDropsThemAll() {
        String one = fundKept("1.00");
        String other = fundKept("2.00");
        // What a TRUNCATE of a read model announces.
        jdbc.execute("SELECT pg_notify('" + BalanceCache.CHANNEL + "', '*')");
        awaitTrue(() -> !cache.keeps(one) && !cache.keeps(other), "every fund dropped");
    }

    @Test
    void turnedOffEveryReadGoesToTheDatabase() {
        BalanceCache off = new BalanceCache(jdbc.getDataSource(), new SimpleMeterRegistry(),
                false);
        off.start();
        try {
            int[] reads = {0};
            LedgerReads.FundBalances b = new LedgerReads.FundBalances("f", "CNY", null, null, 0,
                    0L, 0L, 0, Map.of(), Map.of(), Map.of(), 0);
            Supplier<LedgerReads.FundBalances> read = () -> {
                reads[0]++;
                return b;
            };
            off.get("f", read);
            off.get("f", read);
            assertThat(reads[0]).isEqualTo(2);
            assertThat(off.trusted()).isFalse();
            assertThat(off.size()).isZero();
        } finally {
            off.stop();
        }
    }

    /**
     * A new fund holding {@code cash} from one donation, shown by a read after the projections
     * caught up, and kept in memory; the listener listening.
     */
    private String fundKept(String cash) {
        awaitListening();
        String fundId = openFund("2000.00");
        donate(fundId, cash);
        assertThat(balances(fundId).get("cash").asText()).isEqualTo(cash);
        awaitKept(fundId, cash);
        return fundId;
    }

    /** Puts the fund's cash back as the events made it, through the triggers. */
    private void restoreCash(String fundId, long minor) {
        jdbc.update("UPDATE account_balance SET balance_minor = ?"
                + " WHERE fund_id = ? AND account = 'ASSET:CASH'", minor, fundId);
    }

    /**
     * Reads the fund's cash until it shows {@code cash} and the fund is kept: kept from the
     * first read that runs once the projection's unit of work has ended, just after the commit
     * that {@link #balances} waits for.
     */
    private void awaitKept(String fundId, String cash) {
        awaitTrue(() -> cash(fundId).equals(cash) && cache.keeps(fundId),
                "fund " + fundId + " kept at " + cash);
    }

    /** Cash now, read without waiting for the projections. */
    private String cash(String fundId) {
        return ok(get(AUDITOR, "/api/v1/funds/" + fundId + "/balances")).body().get("cash")
                .asText();
    }

    private void changeCashUnannounced(String fundId, long minor) {
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            jdbc.execute("SET LOCAL session_replication_role = replica");
            jdbc.update("UPDATE account_balance SET balance_minor = balance_minor + ?"
                    + " WHERE fund_id = ? AND account = 'ASSET:CASH'", minor, fundId);
        });
    }

    private double fromMemory() {
        return meters.counter("ledger.reads.balances", "from", "memory").count();
    }

    private void awaitListening() {
        awaitTrue(() -> cache.listening() && cache.trusted(), "the listener listens");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + HEARD_WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + HEARD_WITHIN + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
