package org.aidledger.infra.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The auditor's command line, run by {@code ./ledger audit ...}. It talks to PostgreSQL directly
 * with plain JDBC and never starts the service, so an auditor need not trust the running ledger.
 */
public final class AuditCli {

    private AuditCli() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "verify" -> System.exit(verify());
            case "replay" -> System.exit(replay());
            default -> {
                System.err.println("usage: ledger audit verify|replay");
                System.exit(2);
            }
        }
    }

    private static int verify() throws SQLException {
        try (Connection connection = connect()) {
            System.out.println("verifying the event chain in " + connection.getMetaData().getURL());
            if (!hasLedgerSchema(connection)) {
                System.out.println("this database holds no Aid Ledger yet (no event_chain table);"
                        + " start the ledger once so that its migrations create the schema");
                return 2;
            }
            ChainVerifier.Result result = ChainVerifier.verify(connection,
                    n -> System.out.println("  ... " + n + " events checked"));
            System.out.println(result.describe());
            return result.ok() ? 0 : 1;
        }
    }

    private static int replay() throws SQLException {
        try (Connection reader = connect(); Connection writer = connect()) {
            System.out.println("replaying every event into schema " + ReplayCompare.SCHEMA
                    + " of " + reader.getMetaData().getURL() + "; the live schema is only read");
            if (!hasLedgerSchema(reader)) {
                System.out.println("this database holds no Aid Ledger yet");
                return 2;
            }
            for (String table : org.aidledger.query.admin.Projections.READ_MODEL_TABLES) {
                if (!hasTable(reader, table)) {
                    System.out.println("table " + table + " is missing: the database schema is"
                            + " older than this ledger; start the ledger once to migrate it");
                    return 2;
                }
            }
            ReplayCompare.Result result = ReplayCompare.run(reader, writer, System.out);
            System.out.printf("%d events replayed in %.2f s (%.0f events/s)%n", result.events(),
                    result.seconds(), result.eventsPerSecond());
            if (result.ok()) {
                System.out.println("OK every read model equals the replay");
                return 0;
            }
            System.out.println("DIFFERS in " + result.differences().size() + " rows:");
            result.differences().forEach(d -> System.out.println("  " + d));
            return 1;
        }
    }

    private static boolean hasLedgerSchema(Connection connection) throws SQLException {
        return hasTable(connection, "event_chain_head");
    }

    private static boolean hasTable(Connection connection, String table) throws SQLException {
        try (var rs = connection.getMetaData().getTables(null, "public", table,
                new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    static Connection connect() throws SQLException {
        String url = env("LEDGER_DB_URL", "jdbc:postgresql://127.0.0.1:54329/aidledger");
        return DriverManager.getConnection(url, env("LEDGER_DB_USER", "ledger"),
                env("LEDGER_DB_PASSWORD", ""));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
