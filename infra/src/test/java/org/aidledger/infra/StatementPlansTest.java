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
 * has grown: in the ledger's transactions (command groups, projection batches) every execution
 * is planned for its own parameters and the table's present size. Before, a ledger started empty
 * scanned its whole event table for event ids, and journal_entry for each journal line's
 * foreign-key check, through the first minutes of load (9-12 ms a statement instead of a few
 * hundredths). Reads outside them keep PostgreSQL's default, which spares planning each call.
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
                ResultSet rs = s.executeQuery("SHOW plan_cache_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("auto");
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
            for (int i = 0; i < 10; i++) {
                lookup.setArray(1, c.createArrayOf("varchar",
                        new String[] {"id-" + (100 + i), "id-" + (40_000 + i)}));
                assertThat(count(lookup)).isEqualTo(2);
            }
            assertThat(sequentialScans(c) - before)
                    .as("whole-table scans by the ten lookups after the table grew")
                    .isZero();
        }
    }

    private static long count(PreparedStatement lookup) throws SQLException {
        try (ResultSet rs = lookup.executeQuery()) {
            rs.next();
            return rs.getLong(1);
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
