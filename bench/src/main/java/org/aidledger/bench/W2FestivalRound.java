package org.aidledger.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * W2, the Spring Festival round (送温暖): one batch of condolence payouts from one fund, timed
 * from the request until the fund's balances show every payout. Its anchor, measured before and
 * after on the same PostgreSQL, is a JDBC batched insert of as many rows, 100 rows per commit.
 * Prints one line of JSON, and progress on stderr.
 *
 * <p>Usage: {@code W2FestivalRound BASE_URL JDBC_URL JDBC_USER LINES}
 */
public final class W2FestivalRound {

    private W2FestivalRound() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String jdbcUrl = args[1];
        String jdbcUser = args[2];
        int lines = Integer.parseInt(args[3]);
        LedgerHttp http = new LedgerHttp(base, Duration.ofMinutes(10));
        String run = UUID.randomUUID().toString().substring(0, 8);

        double anchorBefore = anchor(jdbcUrl, jdbcUser, lines);
        System.err.printf(Locale.ROOT, "W2: anchor before %.0f rows/s%n", anchorBefore);

        String fundId = http.fundWithCash("w2-" + run, "500.00", "50000000.00");
        StringBuilder body = new StringBuilder(lines * 48);
        body.append("{\"category\":\"FESTIVAL\",\"reason\":\"Spring Festival round\",")
                .append("\"currency\":\"CNY\",\"lines\":[");
        long totalMinor = 0;
        for (int i = 1; i <= lines; i++) {
            long minor = 20_000 + (i % 5) * 1_000;
            totalMinor += minor;
            body.append(i > 1 ? "," : "").append("{\"beneficiaryId\":\"worker-").append(i)
                    .append("\",\"amount\":\"").append(minor / 100).append('.')
                    .append(String.format(Locale.ROOT, "%02d", minor % 100)).append("\"}");
        }
        body.append("]}");
        long expectedCash = 5_000_000_000L - totalMinor;
        String expected = (expectedCash / 100) + "." + String.format(Locale.ROOT, "%02d",
                expectedCash % 100);
        System.err.printf("W2: sending one batch of %d payouts (%d KiB of JSON)%n", lines,
                body.length() / 1024);

        long t0 = System.nanoTime();
        LedgerHttp.Answer paid = LedgerHttp.require(http.post("/api/v1/funds/" + fundId
                + "/payout-batches", body.toString()));
        long accepted = System.nanoTime();
        System.err.printf(Locale.ROOT, "W2: accepted after %.1f s (%s); waiting for balances%n",
                (accepted - t0) / 1e9, paid.field("payouts"));
        long lastReport = accepted;
        while (true) {
            LedgerHttp.Answer b = http.get(LedgerHttp.AUDITOR, "/api/v1/funds/" + fundId
                    + "/balances");
            if (expected.equals(b.field("cash"))) {
                break;
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                System.err.printf("W2: balances show cash %s, waiting for %s%n",
                        b.field("cash"), expected);
                lastReport = System.nanoTime();
            }
            Thread.sleep(20);
        }
        long shown = System.nanoTime();

        double anchorAfter = anchor(jdbcUrl, jdbcUser, lines);
        System.err.printf(Locale.ROOT, "W2: anchor after %.0f rows/s%n", anchorAfter);
        double endToEnd = (shown - t0) / 1e9;
        System.out.printf(Locale.ROOT, "{\"workload\":\"W2\",\"payouts\":%d,"
                        + "\"acceptedSeconds\":%.2f,\"endToEndSeconds\":%.2f,"
                        + "\"payoutsPerSecond\":%.1f,\"anchorRowsPerSecond\":{\"before\":%.1f,"
                        + "\"after\":%.1f}}%n", lines, (accepted - t0) / 1e9, endToEnd,
                lines / endToEnd, anchorBefore, anchorAfter);
    }

    /** Rows/s of a JDBC batched insert of {@code rows} payout-like rows, 100 per commit. */
    private static double anchor(String url, String user, int rows) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS bench_anchor");
                s.execute("CREATE TABLE bench_anchor (id VARCHAR(64) PRIMARY KEY,"
                        + " beneficiary_id VARCHAR(64) NOT NULL, amount_minor BIGINT NOT NULL,"
                        + " currency CHAR(3) NOT NULL, paid_on DATE NOT NULL)");
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_anchor (id,"
                    + " beneficiary_id, amount_minor, currency, paid_on)"
                    + " VALUES (?, ?, ?, 'CNY', CURRENT_DATE)")) {
                for (int i = 1; i <= rows; i++) {
                    ps.setString(1, "anchor/" + i);
                    ps.setString(2, "worker-" + i);
                    ps.setLong(3, 20_000 + (i % 5) * 1_000);
                    ps.addBatch();
                    if (i % 100 == 0 || i == rows) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE bench_anchor");
            }
            return rows / seconds;
        }
    }
}
