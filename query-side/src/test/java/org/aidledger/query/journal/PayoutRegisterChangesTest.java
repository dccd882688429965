package org.aidledger.query.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PayoutRegisterChangesTest {

    @Test
    void rowsOfDifferentPayoutsGoInOneRound() {
        assertThat(PayoutRegisterChanges.rounds(List.of("p1", "p2", "p3"), id -> id))
                .containsExactly(List.of("p1", "p2", "p3"));
    }

    @Test
    void aPayoutSeenAgainStartsANewRoundAndTheOrderIsKept() {
        assertThat(PayoutRegisterChanges.rounds(List.of("p1", "p2", "p1", "p3", "p3"),
                id -> id))
                .containsExactly(List.of("p1", "p2"), List.of("p1", "p3"), List.of("p3"));
    }

    @Test
    void noRowsNoRounds() {
        assertThat(PayoutRegisterChanges.rounds(List.<String>of(), id -> id)).isEmpty();
    }
}
