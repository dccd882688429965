package org.aidledger.bench.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aidledger.bench.LedgerHttp;
import org.aidledger.bench.LedgerHttp.Answer;

/**
 * The client side of the chaos scenarios. {@code load} sends donations and payouts (request,
 * then pay) to one or more nodes while the script kills nodes or restarts the database; every
 * request keeps its client transaction id and is retried, on any node, until it gets a definite
 * answer, and every acknowledged transaction is logged; after each, a fund's balances are read
 * from a node picked at random. {@code verify} then reads the event store and each given node's
 * balances and reports acknowledged-but-missing and duplicated effects, and funds whose cash
 * any node shows wrong.
 *
 * <p>Usage: {@code ChaosLoad load NODES SECONDS CLIENTS FUNDS ACKLOG} (NODES: comma-separated
 * base URLs) and {@code ChaosLoad verify NODES JDBC_URL JDBC_USER ACKLOG}. Exits 1 when an
 * invariant is broken.
 */
public final class ChaosLoad {

    /** Each fund starts with this much cash; payouts of 1.00 to 4.00 never exhaust it. */
    private static final String START_CASH = "1000000.00";
    private static final long START_CASH_MINOR = 100_000_000L;
    private static final Pattern TX = Pattern.compile("\"(transactionId|payoutId)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern AMOUNT = Pattern.compile("\"amountMinor\"\\s*:\\s*(\\d+)");

    private final List<LedgerHttp> nodes = new ArrayList<>();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong balanceReads = new AtomicLong();

    private ChaosLoad(String nodeList) {
        for (String base : nodeList.split(",")) {
            nodes.add(new LedgerHttp(base, Duration.ofSeconds(20)));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("overdraw")) {
            System.exit(new ChaosLoad(args[1]).overdraw() ? 0 : 1);
        }
        if (args[0].equals("load")) {
            ChaosLoad chaos = new ChaosLoad(args[1]);
            chaos.load(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Path.of(args[5]));
            // Every request of the load is valid and the funds never run short: a refusal is
            // the ledger deciding on wrong state.
            System.out.printf("chaos: requests wrongly refused %d%n", chaos.refused.get());
            System.exit(chaos.refused.get() == 0 ? 0 : 1);
        } else {
            boolean ok = new ChaosLoad(args[1]).verify(args[2], args[3], Path.of(args[4]));
            System.exit(ok ? 0 : 1);
        }
    }

    /**
     * Sends one request until it has a definite answer: 2xx, or a 4xx other than a transient
     * conflict. A connection error, a timeout or a 5xx is retried with the same client
     * transaction id, on the next node.
     */
    private Answer definite(String user, String path, String json, String clientTx)
            throws InterruptedException {
        int node = ThreadLocalRandom.current().nextInt(nodes.size());
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Answer a = nodes.get(node % nodes.size()).send(user, "POST", path, json,
                        clientTx);
                boolean transientConflict = a.status() == 409
                        && "CONCURRENT_MODIFICATION".equals(a.field("rule"));
                if (a.status() < 500 && !transientConflict) {
                    return a;
                }
            } catch (IOException e) {
                // The node is down or restarting: try again, maybe elsewhere.
            }
            retries.incrementAndGet();
            node++;
            Thread.sleep(200);
        }
        throw new IllegalStateException("no definite answer for " + clientTx + " in 5 minutes");
    }

    private void load(int seconds, int clients, int funds, Path ackLog) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> fundIds = new ArrayList<>();
        List<String> setUp = new ArrayList<>();
        for (int i = 0; i < funds; i++) {
            String body = "chaos-" + run + "-body";
            String fundId = "chaos-" + run + "-" + i;
            if (i == 0) {
                definite(LedgerHttp.ADMIN, "/api/v1/union-bodies", "{\"bodyId\":\"" + body
                        + "\",\"name\":\"chaos\",\"level\":\"CITY\"}", "c-" + UUID.randomUUID());
            }
            definite(LedgerHttp.ADMIN, "/api/v1/funds", "{\"fundId\":\"" + fundId
                    + "\",\"bodyId\":\"" + body + "\",\"name\":\"f\",\"purpose\":\"HARDSHIP\","
                    + "\"currency\":\"CNY\",\"approvalThreshold\":\"500.00\"}",
                    "c-" + UUID.randomUUID());
            Answer d = definite(LedgerHttp.ADMIN, "/api/v1/funds/" + fundId + "/donations",
                    "{\"donorType\":\"COMPANY\",\"amount\":\"" + START_CASH
                            + "\",\"currency\":\"CNY\"}", "c-" + UUID.randomUUID());
            if (d.status() != 201) {
                throw new IllegalStateException("set-up refused: " + d.body());
            }
            fundIds.add(fundId);
            setUp.add("donation " + fundId + " " + d.field("transactionId") + " "
                    + START_CASH_MINOR);
        }
        System.err.printf("chaos: %d funds ready; %d clients for %d s over %d node(s)%n",
                funds, clients, seconds, nodes.size());
        try (PrintWriter acks = new PrintWriter(Files.newBufferedWriter(ackLog))) {
            // The first line of the log names the funds; then one line per acknowledgement.
            acks.println("funds " + String.join(",", fundIds));
            setUp.forEach(acks::println);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            AtomicLong acked = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Thread t = new Thread(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        String fund = fundIds.get(rnd.nextInt(fundIds.size()));
                        String path = "/api/v1/funds/" + fund;
                        long minor = 100 * (1 + rnd.nextInt(4));
                        String amount = (minor / 100) + ".00";
                        try {
                            if (rnd.nextBoolean()) {
                                Answer a = definite(LedgerHttp.ADMIN, path + "/donations",
                                        "{\"donorType\":\"INDIVIDUAL\",\"amount\":\"" + amount
                                                + "\",\"currency\":\"CNY\"}",
                                        "c-" + UUID.randomUUID());
                                ack(acks, a, "donation " + fund + " " + a.field("transactionId")
                                        + " " + minor, acked);
                            } else {
                                Answer r = definite(LedgerHttp.ADMIN, path + "/payouts",
                                        "{\"beneficiaryId\":\"w\",\"category\":\"FESTIVAL\","
                                                + "\"amount\":\"" + amount + "\",\"currency\":"
                                                + "\"CNY\",\"reason\":\"chaos\"}",
                                        "c-" + UUID.randomUUID());
                                String payout = r.field("payoutId");
                                ack(acks, r, "requested " + fund + " " + payout + " " + minor,
                                        acked);
                                if (r.status() == 201) {
                                    Answer p = definite(LedgerHttp.ADMIN, path + "/payouts/"
                                            + payout + "/pay", "{}", "c-" + UUID.randomUUID());
                                    ack(acks, p, "paid " + fund + " " + payout + " " + minor,
                                            acked);
                                }
                            }
                            readBalances(fund, rnd);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
                t.start();
                threads.add(t);
            }
            long started = System.nanoTime();
            while (threads.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(5_000);
                System.err.printf("chaos: %.0f s, %d acknowledged, %d retries, %d refused,"
                        + " %d balance reads%n", (System.nanoTime() - started) / 1e9,
                        acked.get(), retries.get(), refused.get(), balanceReads.get());
            }
        }
    }

    /**
     * Reads the fund's balances from a node picked at random, as a partner would, so that every
     * node keeps balances in memory while the node whose projection applies the events changes
     * them: {@link #verify} then finds out whether each node dropped every balance that changed.
     * A node down or restarting is skipped.
     */
    private void readBalances(String fund, ThreadLocalRandom rnd) throws InterruptedException {
        try {
            if (nodes.get(rnd.nextInt(nodes.size())).get(LedgerHttp.AUDITOR,
                    "/api/v1/funds/" + fund + "/balances").status() == 200) {
                balanceReads.incrementAndGet();
            }
        } catch (IOException e) {
            // The node is down: its balances are read again after the load.
        }
    }

    /**
     * Concurrent payouts against one fund whose cash covers only some of them, sent across
     * every node: the fund never goes below zero and the accepted payouts fit in its cash.
     */
    private boolean overdraw() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        LedgerHttp first = nodes.get(0);
        String fundId = first.fundWithCash("overdraw-" + run, "500.00", "10000.00");
        int requests = 200;
        AtomicLong accepted = new AtomicLong();
        AtomicLong refusedForCash = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    String path = "/api/v1/funds/" + fundId;
                    Answer r = definite(LedgerHttp.ADMIN, path + "/payouts",
                            "{\"beneficiaryId\":\"w-" + n + "\",\"category\":\"EMERGENCY\","
                                    + "\"amount\":\"300.00\",\"currency\":\"CNY\","
                                    + "\"reason\":\"overdraw\"}", "c-" + UUID.randomUUID());
                    if (r.status() == 201) {
                        Answer p = definite(LedgerHttp.ADMIN, path + "/payouts/"
                                + r.field("payoutId") + "/pay", "{}", "c-" + UUID.randomUUID());
                        if (p.status() == 200) {
                            accepted.incrementAndGet();
                        }
                    } else if ("INSUFFICIENT_AVAILABLE_CASH".equals(r.field("rule"))) {
                        refusedForCash.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long cash = waitForCash(first, fundId, 1_000_000 - accepted.get() * 30_000);
        boolean ok = accepted.get() * 30_000 <= 1_000_000 && cash >= 0
                && cash == 1_000_000 - accepted.get() * 30_000;
        System.out.printf(Locale.ROOT, "chaos: overdraw over %d node(s): %d payouts of 300.00"
                        + " against 10000.00: %d paid, %d refused for cash, cash left %d.%02d%s%n",
                nodes.size(), requests, accepted.get(), refusedForCash.get(), cash / 100,
                Math.abs(cash % 100), ok ? "" : "  BROKEN");
        return ok;
    }

    /** Polls the fund's cash until it shows {@code expected} or a minute passes. */
    private static long waitForCash(LedgerHttp node, String fundId, long expected)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long shown;
        do {
            Answer b = node.get(LedgerHttp.AUDITOR, "/api/v1/funds/" + fundId + "/balances");
            shown = b.status() == 200 ? new java.math.BigDecimal(b.field("cash"))
                    .movePointRight(2).longValueExact() : Long.MIN_VALUE;
            if (shown == expected) {
                return shown;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return shown;
    }

    private void ack(PrintWriter acks, Answer a, String line, AtomicLong acked) {
        if (a.status() >= 200 && a.status() < 300) {
            synchronized (acks) {
                acks.println(line);
                acks.flush();
            }
            acked.incrementAndGet();
        } else {
            refused.incrementAndGet();
            System.err.println("chaos: refused " + a.status() + " " + a.body());
        }
    }

    private boolean verify(String jdbcUrl, String jdbcUser, Path ackLog) throws Exception {
        List<String> lines = Files.readAllLines(ackLog);
        List<String> fundIds = List.of(lines.get(0).substring("funds ".length()).split(","));
        // What the client was told: transaction id -> kind, and the expected cash per fund.
        Map<String, String> acked = new HashMap<>();
        Map<String, Long> expectedCash = new HashMap<>();
        fundIds.forEach(f -> expectedCash.put(f, 0L));
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(" ");
            String kind = p[0];
            long minor = Long.parseLong(p[3]);
            acked.put(kind + " " + p[2], p[1]);
            if (kind.equals("donation")) {
                expectedCash.merge(p[1], minor, Long::sum);
            } else if (kind.equals("paid")) {
                expectedCash.merge(p[1], -minor, Long::sum);
            }
        }
        // What the event store holds for these funds.
        Map<String, Integer> recorded = new HashMap<>();
        Map<String, Long> storedCash = new HashMap<>();
        fundIds.forEach(f -> storedCash.put(f, 0L));
        try (Connection c = DriverManager.getConnection(jdbcUrl, jdbcUser, "");
                PreparedStatement ps = c.prepareStatement("SELECT aggregateidentifier,"
                        + " payloadtype, convert_from(payload, 'UTF8') FROM domainevententry"
                        + " WHERE aggregateidentifier = ANY (?) ORDER BY globalindex")) {
            ps.setArray(1, c.createArrayOf("varchar", fundIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    String kind = type.endsWith(".DonationReceived") ? "donation"
                            : type.endsWith(".PayoutRequested") ? "requested"
                            : type.endsWith(".PayoutPaid") ? "paid" : null;
                    if (kind == null) {
                        continue;
                    }
                    Matcher tx = TX.matcher(rs.getString(3));
                    Matcher amount = AMOUNT.matcher(rs.getString(3));
                    tx.find();
                    amount.find();
                    recorded.merge(kind + " " + tx.group(2), 1, Integer::sum);
                    long minor = Long.parseLong(amount.group(1));
                    if (!kind.equals("requested")) {
                        storedCash.merge(rs.getString(1), kind.equals("paid") ? -minor : minor,
                                Long::sum);
                    }
                }
            }
        }
        Set<String> missing = new HashSet<>(acked.keySet());
        missing.removeAll(recorded.keySet());
        long duplicated = recorded.values().stream().filter(n -> n > 1).count();
        Set<String> unacknowledged = new HashSet<>(recorded.keySet());
        unacknowledged.removeAll(acked.keySet());
        long cashMismatches = 0;
        for (String fund : fundIds) {
            long expected = expectedCash.get(fund);
            boolean differs = storedCash.get(fund) != expected;
            // Every node given must show it: a node that kept a balance in memory and missed
            // its change would show the old one. The projections may still be catching up
            // after the last kill.
            for (LedgerHttp node : nodes) {
                long shown = waitForCash(node, fund, expected);
                if (shown != expected || differs) {
                    differs = true;
                    System.out.printf("chaos: fund %s cash shown by %s %d, in events %d,"
                            + " acknowledged %d%n", fund, node.base(), shown,
                            storedCash.get(fund), expected);
                }
            }
            if (differs) {
                cashMismatches++;
            }
        }
        missing.stream().limit(10).forEach(m -> System.out.println("chaos: missing " + m));
        System.out.printf(Locale.ROOT, "chaos: acknowledged %d, recorded %d,"
                        + " acknowledged-but-missing %d, duplicated effects %d,"
                        + " unacknowledged effects %d, funds whose cash differs %d"
                        + " (on any of %d node(s))%n",
                acked.size(), recorded.size(), missing.size(), duplicated,
                unacknowledged.size(), cashMismatches, nodes.size());
        return missing.isEmpty() && duplicated == 0 && cashMismatches == 0
                && unacknowledged.isEmpty();
    }

}
