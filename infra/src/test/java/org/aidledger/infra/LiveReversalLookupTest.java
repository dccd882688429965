package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.aidledger.messages.fund.DonationReceived;
import org.aidledger.messages.fund.DonorType;
import org.aidledger.messages.fund.TransactionKind;
import org.aidledger.messages.fund.TransactionReversed;
import org.aidledger.messages.money.Money;
import org.aidledger.query.journal.LedgerProjection;
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
 * The live ledger projection finds the lines of a recent entry it reverses in memory, and those
 * of an older one in the journal, with the same result. A projection of its own, keeping one
 * recent entry, is given the events directly, in a transaction rolled back at the end: nothing
 * it writes stays in the shared database.
 */
class LiveReversalLookupTest extends LedgerIntegrationTest {

    @Autowired
    PlatformTransactionManager transactions;

    private long position = 4_000_000_000L;

    @Test
    void aRecentEntryIsReversedFromMemoryAnOlderOneFromTheJournalAlike() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        LedgerProjection projection = new LedgerProjection(jdbc, meters, 1);
        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(projection);
        String fundId = id("fund");
        LocalDate day = LocalDate.parse("2026-10-15");

        TransactionTemplate inTransaction = new TransactionTemplate(transactions);
        Map<String, List<String>> seen = inTransaction.execute(status -> {
            status.setRollbackOnly();
            apply(handlers, fundId, new DonationReceived(fundId, "d-old",
                    Money.ofMinor(100_00, "CNY"), DonorType.COMPANY, null, null, null, day));
            apply(handlers, fundId, new DonationReceived(fundId, "d-new",
                    Money.ofMinor(25_50, "CNY"), DonorType.INDIVIDUAL, null, null, null, day));
            // d-new is the one entry kept: its reversal reads nothing back.
            apply(handlers, fundId, reversal(fundId, "r-new", "d-new", 25_50, day));
            // d-old was forgotten when d-new came, and is read back from the journal.
            apply(handlers, fundId, reversal(fundId, "r-old", "d-old", 100_00, day));
            return Map.of(
                    "lines", jdbc.queryForList("SELECT j.transaction_id || ' ' || l.account"
                            + " || ' ' || l.amount_minor FROM journal_entry j JOIN journal_line l"
                            + " ON l.event_id = j.event_id WHERE j.fund_id = ?"
                            + " ORDER BY j.position, l.line_no", String.class, fundId),
                    "balances", jdbc.queryForList("SELECT account || ' ' || balance_minor"
                            + " FROM account_balance WHERE fund_id = ? ORDER BY account",
                            String.class, fundId));
        });

        assertThat(meters.counter("ledger.projection.reversal.lookups", "found", "memory")
                .count()).isEqualTo(1.0);
        assertThat(meters.counter("ledger.projection.reversal.lookups", "found", "journal")
                .count()).isEqualTo(1.0);
        assertThat(seen.get("lines")).containsExactly(
                "d-old ASSET:CASH 10000", "d-old INCOME:DONATION -10000",
                "d-new ASSET:CASH 2550", "d-new INCOME:DONATION -2550",
                "r-new ASSET:CASH -2550", "r-new INCOME:DONATION 2550",
                "r-old ASSET:CASH -10000", "r-old INCOME:DONATION 10000");
        assertThat(seen.get("balances")).containsExactly("ASSET:CASH 0",
                "INCOME:DONATION 0");
        // Rolled back: the shared database holds nothing of it.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM journal_entry WHERE fund_id = ?",
                Long.class, fundId)).isZero();
    }

    private static TransactionReversed reversal(String fundId, String transactionId,
            String reversed, long amountMinor, LocalDate day) {
        return new TransactionReversed(fundId, transactionId, reversed,
                TransactionKind.DONATION, Money.ofMinor(amountMinor, "CNY"), null, "test", day);
    }

    /** Applies one event as a tracking processor would: in a unit of work, with its token. */
    private void apply(AnnotationEventHandlerAdapter handlers, String fundId, Object payload) {
        long at = position++;
        TrackedEventMessage<?> event = new GenericTrackedDomainEventMessage<>(
                new GlobalSequenceTrackingToken(at), new GenericDomainEventMessage<>("Fund",
                        fundId, at, payload, Map.of("actor", "admin"))
                        .andMetaData(Map.of()));
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        unitOfWork.execute(() -> {
            try {
                handlers.handle(event);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        if (unitOfWork.getExecutionResult().isExceptionResult()) {
            throw new IllegalStateException("event not applied",
                    unitOfWork.getExecutionResult().getExceptionResult());
        }
    }
}
