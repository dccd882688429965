package org.aidledger.query.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.aidledger.infra.LedgerIntegrationTest;
import org.aidledger.messages.fund.DonationReceived;
import org.aidledger.messages.fund.DonorType;
import org.aidledger.messages.money.Money;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivering the same event to the projection twice (a replay, a segment moving between nodes)
 * changes nothing the second time. Runs against the real PostgreSQL, in the shared test
 * application context so that only one set of event processors runs.
 */
class LedgerProjectionIdempotencyTest extends LedgerIntegrationTest {

    @Autowired
    LedgerProjection projection;
    @Autowired
    TransactionTemplate tx;

    @Test
    void sameEventAppliedTwiceCountsOnce() {
        String fundId = "idem-" + UUID.randomUUID().toString().substring(0, 12);
        DonationReceived donation = new DonationReceived(fundId, UUID.randomUUID().toString(),
                Money.ofMinor(4200, "CNY"), DonorType.ANONYMOUS, null, null, null,
                LocalDate.of(2026, 3, 1));
        var message = new GenericEventMessage<>(donation, MetaData.from(Map.of("actor", "t")));
        var token = new GlobalSequenceTrackingToken(Long.MAX_VALUE - 1);

        // Entries are written when the processor's unit of work prepares to commit; called
        // directly, as here, the caller flushes. Twice in separate transactions, then twice
        // within one batch.
        for (int i = 0; i < 2; i++) {
            tx.executeWithoutResult(s -> {
                projection.on(donation, message, token);
                projection.flush();
            });
        }
        tx.executeWithoutResult(s -> {
            projection.on(donation, message, token);
            projection.on(donation, message, token);
            projection.flush();
        });

        assertThat(jdbc.queryForObject("SELECT balance_minor FROM account_balance"
                + " WHERE fund_id = ? AND account = 'ASSET:CASH'", Long.class, fundId))
                .isEqualTo(4200L);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM journal_line WHERE fund_id = ?",
                Long.class, fundId)).isEqualTo(2L);
        jdbc.update("DELETE FROM journal_line WHERE fund_id = ?", fundId);
        jdbc.update("DELETE FROM journal_entry WHERE fund_id = ?", fundId);
        jdbc.update("DELETE FROM account_balance WHERE fund_id = ?", fundId);
    }
}
