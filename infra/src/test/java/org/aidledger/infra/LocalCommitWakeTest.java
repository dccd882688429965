package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With polling for other nodes' events as good as off (once an hour), a command on this node
 * still reaches the projections: its commit wakes them. The context is closed afterwards, so
 * that no second node (with its own deadline runner) lives on beside the other tests' one.
 */
@DirtiesContext
@TestPropertySource(properties = "ledger.projections.poll-ms=3600000")
class LocalCommitWakeTest extends LedgerIntegrationTest {

    @Test
    void aDonationHereShowsInTheBalancesWithoutWaitingForThePoll() {
        String fundId = openFund("2000.00");
        awaitProjections();

        donate(fundId, "12.34");

        assertThat(balances(fundId).get("cash").asText()).isEqualTo("12.34");
    }
}
