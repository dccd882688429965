package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.aidledger.infra.audit.EventChain;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Another node appends to a fund this node has in its cache. The next command here must decide
 * on the fund as the event store holds it, not as this node last saw it.
 */
class SecondNodeTest extends LedgerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void aFundChangedByAnotherNodeIsNotJudgedOnCachedState() throws Exception {
        String fundId = openFund("2000.00");
        // This node now holds the fund, with 1.00 of cash, in its cache.
        donate(fundId, "1.00");

        // "Another node" records a donation of 7.77.
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long index = reserveGlobalIndex(c);
            String eventId = UUID.randomUUID().toString();
            insertDonationEvent(c, index, fundId, eventCount(fundId), eventId,
                    UUID.randomUUID().toString(), 777);
            EventChain.link(c, List.of(eventId));
            c.commit();
        }

        Answer now = post(ADMIN, newTx(), "/api/v1/funds/" + fundId + "/payouts",
                Map.of("beneficiaryId", "w-1", "category", "MEDICAL", "amount", "5.00",
                        "currency", "CNY", "reason", "clinic"));
        assertThat(now.status()).as(now.raw()).isEqualTo(201);
        assertThat(balances(fundId).get("available").asText()).isEqualTo("3.77");
    }
}
