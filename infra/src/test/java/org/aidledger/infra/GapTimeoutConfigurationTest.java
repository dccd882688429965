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
}
