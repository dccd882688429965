package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Axon's JDBC store stops waiting for a gap in the global index after its gap timeout; an event
 * committed later than that would never reach the projections. The ledger prevents it by keeping
 * every transaction shorter than the gap timeout: PostgreSQL itself rolls back a statement, an
 * idle open transaction or a lock wait that runs too long. This test keeps that configuration in
 * force and shows the database enforcing it; the long run of the scenario is a chaos case.
 */
class GapTimeoutConfigurationTest extends LedgerIntegrationTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    EventStorageEngine engine;

    private static long millis(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT setting::bigint * CASE unit WHEN 's'"
                        + " THEN 1000 ELSE 1 END FROM pg_settings WHERE name = '" + setting
                        + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void everyTransactionEndsWellBeforeTheGapTimeout() throws Exception {
        Field gap = JdbcEventStorageEngine.class.getDeclaredField("gapTimeout");
        gap.setAccessible(true);
        long gapTimeoutMs = ((Number) gap.get(engine)).longValue();
        try (Connection c = dataSource.getConnection()) {
            long statement = millis(c, "statement_timeout");
            long idle = millis(c, "idle_in_transaction_session_timeout");
            long lock = millis(c, "lock_timeout");
            assertThat(statement).isPositive();
            assertThat(idle).isPositive();
            assertThat(lock).isPositive();
            assertThat(statement + idle + lock).isLessThan(gapTimeoutMs);
        }
    }

    @Test
    void theDatabaseRollsBackAStatementThatRunsTooLong() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '200ms'");
            try {
                s.execute("SELECT pg_sleep(2)");
                throw new AssertionError("a 2 s statement outlived a 200 ms statement_timeout");
            } catch (SQLException e) {
                assertThat(e.getSQLState()).isEqualTo("57014");
            } finally {
                s.execute("RESET statement_timeout");
                s.execute("SET statement_timeout = '300s'");
            }
        }
    }

    /**
     * A transaction that took a global index and wrote an event, then sits idle past the idle
     * limit, is ended by PostgreSQL: its event never commits, so there is no late event for a
     * projection to skip, and the events committed meanwhile are all projected. The suite uses
     * a 1 s limit on this one connection; ./ledger chaos (-Dchaos.long=true) waits out the
     * configured limit itself.
     */
    @Test
    void anIdleTransactionHoldingAnEventIsEndedBeforeTheGapTimeout() throws Exception {
        String held = openFund("2000.00");
        String busy = openFund("2000.00");
        awaitProjections();
        String eventId = java.util.UUID.randomUUID().toString();
        boolean longRun = Boolean.getBoolean("chaos.long");
        try (Connection c = dataSource.getConnection()) {
            long idleMs = longRun ? millis(c, "idle_in_transaction_session_timeout") : 1_000;
            if (!longRun) {
                c.createStatement().execute("SET idle_in_transaction_session_timeout = '1s'");
            }
            c.setAutoCommit(false);
            long index = reserveGlobalIndex(c);
            insertDonationEvent(c, index, held, eventCount(held), eventId,
                    java.util.UUID.randomUUID().toString(), 500);
            long until = System.nanoTime() + (idleMs + 1_500) * 1_000_000L;
            int donations = 0;
            while (System.nanoTime() < until) {
                donate(busy, "1.00");
                donations++;
                Thread.sleep(longRun ? 1_000 : 100);
            }
            try {
                c.commit();
                throw new AssertionError("a transaction idle for " + (idleMs + 1_500)
                        + " ms committed; the idle limit is " + idleMs + " ms");
            } catch (SQLException expected) {
                // Terminated by the server: FATAL 25P03, the connection is gone.
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry"
                    + " WHERE eventidentifier = ?", Long.class, eventId)).isZero();
            awaitProjections();
            assertThat(balances(busy).get("cash").asText()).isEqualTo(donations + ".00");
            assertThat(balances(held).get("cash").asText()).isEqualTo("0.00");
        }
    }
}
