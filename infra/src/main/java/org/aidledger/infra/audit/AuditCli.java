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
            case "rehearse-replay" -> System.exit(args.length == 2 ? rehearse(args[1])
                    : usage());
            case "export" -> System.exit(export(java.util.Arrays.copyOfRange(args, 1,
                    args.length)));
            case "verify-file" -> System.exit(args.length == 2 ? verifyFile(args[1]) : usage());
            default -> {
                System.exit(usage());
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

    private static int usage() {
        System.err.println("usage: ledger audit verify | replay | verify-file FILE |"
                + " export [--what events|journal] [--format jsonl|csv] [--out FILE|-]");
        return 2;
    }

    private static int export(String[] args) throws Exception {
        Exporter.What what = Exporter.What.EVENTS;
        Exporter.Format format = Exporter.Format.JSONL;
        String out = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--what" -> what = Exporter.What.valueOf(value.toUpperCase());
                case "--format" -> format = Exporter.Format.valueOf(value.toUpperCase());
                case "--out" -> out = value;
                default -> {
                    return usage();
                }
            }
            i++;
        }
        if (out == null) {
            out = "aid-ledger-" + what.name().toLowerCase() + "-"
                    + java.time.LocalDateTime.now().withNano(0).toString().replace(':', '-')
                    + "." + format.name().toLowerCase();
        }
        boolean toStdout = out.equals("-");
        java.io.PrintStream progress = toStdout ? System.err : System.out;
        long started = System.nanoTime();
        try (Connection connection = connect();
                java.io.OutputStream stream = toStdout ? System.out
                        : new java.io.BufferedOutputStream(new java.io.FileOutputStream(out),
                        1 << 16)) {
            if (!hasLedgerSchema(connection)) {
                progress.println("this database holds no Aid Ledger yet");
                return 2;
            }
            long rows = Exporter.export(connection, what, format, stream, progress);
            double seconds = (System.nanoTime() - started) / 1e9;
            progress.printf("exported %d %s to %s in %.2f s (%.0f rows/s), ending with the"
                    + " chain head%n", rows, what == Exporter.What.EVENTS ? "events"
                    : "journal lines", toStdout ? "standard output" : out, seconds,
                    rows / Math.max(seconds, 1e-9));
        }
        return 0;
    }

    private static int verifyFile(String file) throws java.io.IOException {
        long started = System.nanoTime();
        try (java.io.BufferedReader reader = java.nio.file.Files.newBufferedReader(
                java.nio.file.Path.of(file))) {
            FileVerifier.Result result = FileVerifier.verify(reader);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (result.ok()) {
                System.out.printf("OK %d events in %.2f s (%.0f events/s), head %d %s%n"
                        + "compare the head with the ledger's (GET /api/v1/audit/chain/head or"
                        + " gRPC GetChainHead)%n", result.events(), seconds,
                        result.events() / Math.max(seconds, 1e-9), result.headPosition(),
                        result.headDigest());
                return 0;
            }
            System.out.println("DIFFERS " + result.problem());
            return 1;
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

    /**
     * Not for auditors: {@code ./ledger audit replay} runs it once per build, in a JVM that
     * records the classes it loaded (see {@link ReplayCompare#rehearse}). It writes nothing.
     */
    private static int rehearse(String events) throws SQLException {
        long limit;
        try {
            limit = Long.parseLong(events);
        } catch (NumberFormatException e) {
            return usage();
        }
        if (limit <= 0) {
            return usage();
        }
        try (Connection reader = connect(); Connection writer = connect()) {
            if (!hasLedgerSchema(reader)) {
                System.out.println("this database holds no Aid Ledger yet");
                return 2;
            }
            long replayed = ReplayCompare.rehearse(reader, writer, limit);
            System.out.println("rehearsed the replay of " + replayed + " events; nothing kept");
            return 0;
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
