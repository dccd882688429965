package org.aidledger.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * A ledger starts with empty tables that grow far faster than autovacuum analyses them. A
 * statement prepared while a table was small must not go on scanning the whole table once it
 * has grown, and must not be planned again on every call either: in the ledger's transactions
 * (command groups, projection batches) a statement keeps one plan, made for reaching its rows by
 * an index. Before, a ledger started empty scanned its whole event table for event ids, and
 * journal_entry for each journal line's foreign-key check, through the first minutes of load
 * (9-12 ms a statement instead of a few hundredths); after that was cured by planning every
 * call, the planning was a quarter of PostgreSQL's CPU in W1. Reads outside these transactions
 * keep PostgreSQL's defaults.
 */
class StatementPlansTest extends LedgerIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionManager transactions;

    @Test
    void aLookupPreparedOnASmallTableUsesTheIndexOnceTheTableHasGrown() {
        transactions.executeInTransaction(() -> {
            try {
                growAndLookUp(DataSourceUtils.getConnection(dataSource));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void readsOutsideTheLedgersTransactionsKeepTheDefaultPlanning() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_setting('plan_cache_mode'),"
                        + " current_setting('enable_seqscan')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("auto");
            assertThat(rs.getString(2)).isEqualTo("on");
        }
    }

    private static void growAndLookUp(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE plan_probe (id varchar PRIMARY KEY, body text)"
                    + " ON COMMIT DROP");
            s.execute("INSERT INTO plan_probe SELECT 'id-' || n, repeat('x', 200)"
                    + " FROM generate_series(1, 10) n");
            // As autovacuum analyses a young table soon after its first rows.
            s.execute("ANALYZE plan_probe");
        }
        try (PreparedStatement lookup = c.prepareStatement(
                "SELECT count(*) FROM plan_probe WHERE id = ANY (?)")) {
            lookup.setArray(1, c.createArrayOf("varchar", new String[] {"id-1", "id-2"}));
            // Past the driver's threshold: the statement is prepared on the server, where
            // a generic plan would now be made for a table of ten rows.
            for (int i = 0; i < 10; i++) {
                assertThat(count(lookup)).isEqualTo(2);
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO plan_probe SELECT 'id-' || n, repeat('x', 200)"
                        + " FROM generate_series(11, 50000) n");
            }
            long before = sequentialScans(c);
            long[] plansBefore = plans(c);
            for (int i = 0; i < 10; i++) {
                lookup.setArray(1, c.createArrayOf("varchar",
                        new String[] {"id-" + (100 + i), "id-" + (40_000 + i)}));
                assertThat(count(lookup)).isEqualTo(2);
            }
            assertThat(sequentialScans(c) - before)
                    .as("whole-table scans by the ten lookups after the table grew")
                    .isZero();
            long[] plansAfter = plans(c);
            assertThat(plansAfter[1] - plansBefore[1])
                    .as("plans made for the ten lookups' own parameters").isZero();
            assertThat(plansAfter[0] - plansBefore[0])
                    .as("lookups that ran on the statement's kept plan").isEqualTo(10);
        }
    }

    private static long count(PreparedStatement lookup) throws SQLException {
        try (ResultSet rs = lookup.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * How often the look-up, prepared on the server, ran on its kept (generic) plan and how
     * often it was planned for its parameters (custom): {generic, custom}.
     */
    private static long[] plans(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                        + " WHERE statement = 'SELECT count(*) FROM plan_probe WHERE id = ANY ($1)'")) {
            assertThat(rs.next()).as("the look-up is prepared on the server").isTrue();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Sequential scans of the probe table in this transaction so far. */
    private static long sequentialScans(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT seq_scan FROM pg_stat_xact_all_tables WHERE relname = 'plan_probe'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
