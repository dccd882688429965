package org.aidledger.bench;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * W3's two helpers. {@code seed} appends a large history straight to the event table: one union
 * body, funds opened under it and donations to them in turn, each event linked into the audit
 * chain by the ledger's own {@code EventChain} in the transaction that writes it, so the store
 * verifies as if the service had written it. It runs on the ledger jar's class path (see
 * scripts/bench.sh) and shows progress. {@code anchor} reads the whole event table by keyset
 * pages of 1,000 rows and prints rows/s: what PostgreSQL can hand a replay.
 *
 * <p>Usage: {@code W3Events seed JDBC_URL USER EVENTS FUNDS} and
 * {@code W3Events anchor JDBC_URL USER}
 */
public final class W3Events {

    private static final int PER_TRANSACTION = 5_000;

    private W3Events() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[1], args[2], "")) {
            if (args[0].equals("seed")) {
                seed(c, Long.parseLong(args[3]), Integer.parseInt(args[4]));
            } else {
                System.out.printf(Locale.ROOT, "%.1f%n", anchor(c));
            }
        }
    }

    private static void seed(Connection c, long events, int funds) throws Exception {
        Method link = Class.forName("org.aidledger.infra.audit.EventChain")
                .getMethod("link", Connection.class, List.class);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String body = "w3-" + run;
        c.setAutoCommit(false);
        long written = 0;
        long started = System.nanoTime();
        List<String> ids = new ArrayList<>();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO domainevententry"
                + " (aggregateidentifier, sequencenumber, type, eventidentifier, metadata,"
                + " payload, payloadrevision, payloadtype, timestamp)"
                + " VALUES (?, ?, ?, ?, convert_to(?, 'UTF8'), convert_to(?, 'UTF8'), '1', ?, ?)")) {
            add(insert, ids, body, 0, "UnionBody", "{\"bodyId\":\"" + body + "\",\"name\":\"w3\","
                    + "\"level\":\"CITY\",\"parentId\":null}",
                    "org.aidledger.messages.body.UnionBodyRegistered");
            written++;
            for (long round = 0; written < events; round++) {
                for (int f = 0; f < funds && written < events; f++) {
                    String fund = body + "-" + f;
                    if (round == 0) {
                        add(insert, ids, fund, 0, "Fund", "{\"fundId\":\"" + fund
                                + "\",\"bodyId\":\"" + body + "\",\"name\":\"w3\",\"purpose\":"
                                + "\"HARDSHIP\",\"currency\":\"CNY\",\"approvalThreshold\":"
                                + "{\"amountMinor\":50000,\"currency\":\"CNY\"},"
                                + "\"valueDate\":\"2026-01-01\"}",
                                "org.aidledger.messages.fund.FundOpened");
                    } else {
                        add(insert, ids, fund, round, "Fund", "{\"fundId\":\"" + fund
                                + "\",\"transactionId\":\"" + UUID.randomUUID()
                                + "\",\"amount\":{\"amountMinor\":" + (100 + round % 900)
                                + ",\"currency\":\"CNY\"},\"donorType\":\"INDIVIDUAL\","
                                + "\"donorRef\":\"member-" + f + "\",\"campaign\":null,"
                                + "\"restrictedPurpose\":null,\"valueDate\":\"2026-03-01\"}",
                                "org.aidledger.messages.fund.DonationReceived");
                    }
                    written++;
                    if (ids.size() == PER_TRANSACTION) {
                        commit(c, insert, link, ids);
                    }
                    if (written % 100_000 == 0) {
                        double s = (System.nanoTime() - started) / 1e9;
                        System.err.printf(Locale.ROOT, "W3: %d of %d events written (%.0f/s)%n",
                                written, events, written / s);
                    }
                }
            }
            commit(c, insert, link, ids);
        }
        System.err.printf(Locale.ROOT, "W3: %d events written in %.0f s%n", written,
                (System.nanoTime() - started) / 1e9);
    }

    private static void add(PreparedStatement insert, List<String> ids, String aggregate,
            long sequence, String type, String payload, String payloadType) throws Exception {
        String id = UUID.randomUUID().toString();
        insert.setString(1, aggregate);
        insert.setLong(2, sequence);
        insert.setString(3, type);
        insert.setString(4, id);
        insert.setString(5, "{\"actor\":\"bench\"}");
        insert.setString(6, payload);
        insert.setString(7, payloadType);
        insert.setString(8, Instant.now().toString());
        insert.addBatch();
        ids.add(id);
    }

    private static void commit(Connection c, PreparedStatement insert, Method link,
            List<String> ids) throws Exception {
        if (ids.isEmpty()) {
            return;
        }
        insert.executeBatch();
        link.invoke(null, c, List.copyOf(ids));
        c.commit();
        ids.clear();
    }

    /** Rows/s of a keyset read of the whole event table, 1,000 rows a page. */
    private static double anchor(Connection c) throws Exception {
        long rows = 0;
        long last = -1;
        long started = System.nanoTime();
        try (PreparedStatement page = c.prepareStatement("SELECT globalindex, eventidentifier,"
                + " payloadtype, payload, metadata, timestamp FROM domainevententry"
                + " WHERE globalindex > ? ORDER BY globalindex LIMIT 1000")) {
            while (true) {
                page.setLong(1, last);
                int n = 0;
                try (ResultSet rs = page.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getLong(1);
                        rs.getString(2);
                        rs.getString(3);
                        rs.getBytes(4);
                        rs.getBytes(5);
                        rs.getString(6);
                        n++;
                    }
                }
                rows += n;
                if (n == 0) {
                    break;
                }
            }
        }
        return rows / ((System.nanoTime() - started) / 1e9);
    }
}
