package org.aidledger.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.aidledger.bench.LedgerHttp.Answer;

/**
 * W1, the administration mix: donations, payouts (request, then pay; some above the threshold
 * are approved by an approver first) and reversals over many funds from concurrent clients,
 * through the public REST API of a running ledger. Prints one line of JSON with commands/s,
 * p50/p99 latency and projection lag p99, and progress on stderr.
 *
 * <p>Usage: {@code W1AdministrationMix BASE_URL SECONDS CLIENTS FUNDS}
 */
public final class W1AdministrationMix {

    /** Lag samples are taken this often, in milliseconds. */
    private static final long SAMPLE_EVERY_MS = 100;

    private final LedgerHttp api;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private W1AdministrationMix(String base) {
        this.api = new LedgerHttp(base, Duration.ofSeconds(30));
    }

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://localhost:18080";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int funds = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        new W1AdministrationMix(base).run(seconds, clients, funds);
    }

    private Answer send(String user, String method, String path, String json)
            throws IOException, InterruptedException {
        return api.send(user, method, path, json, json == null ? null : "w1-" + UUID.randomUUID());
    }

    private Answer post(String path, String json) throws IOException, InterruptedException {
        return api.post(path, json);
    }

    private void run(int seconds, int clients, int funds) throws Exception {
        // Set-up: one body, funds with money in them; not measured.
        post("/api/v1/union-bodies", "{\"bodyId\":\"bench-" + run + "\",\"name\":\"bench\","
                + "\"level\":\"CITY\"}");
        List<String> fundIds = new ArrayList<>();
        for (int i = 0; i < funds; i++) {
            String fundId = "bench-" + run + "-" + i;
            post("/api/v1/funds", "{\"fundId\":\"" + fundId + "\",\"bodyId\":\"bench-" + run
                    + "\",\"name\":\"f\",\"purpose\":\"HARDSHIP\",\"currency\":\"CNY\","
                    + "\"approvalThreshold\":\"500.00\"}");
            post("/api/v1/funds/" + fundId + "/donations", "{\"donorType\":\"COMPANY\","
                    + "\"amount\":\"1000000.00\",\"currency\":\"CNY\"}");
            fundIds.add(fundId);
        }
        System.err.printf("W1: %d funds ready; %d clients for %d s%n", funds, clients, seconds);

        ConcurrentLinkedQueue<Long> latenciesNs = new ConcurrentLinkedQueue<>();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                List<String> myDonations = new ArrayList<>();
                while (System.nanoTime() < end) {
                    String fund = fundIds.get(rnd.nextInt(fundIds.size()));
                    String path = "/api/v1/funds/" + fund;
                    try {
                        int pick = rnd.nextInt(100);
                        if (pick < 40) {
                            Answer a = timed(latenciesNs, () -> post(path + "/donations",
                                    "{\"donorType\":\"COMPANY\",\"amount\":\"" + (1 + rnd.nextInt(
                                            500)) + ".00\",\"currency\":\"CNY\"}"));
                            count(a, refused, failed);
                            if (a.status() == 201) {
                                myDonations.add(fund + "|" + a.field("transactionId"));
                            }
                        } else if (pick < 90) {
                            boolean big = pick >= 85;
                            Answer req = timed(latenciesNs, () -> post(path + "/payouts",
                                    "{\"beneficiaryId\":\"b\",\"category\":\"FESTIVAL\","
                                            + "\"amount\":\"" + (big ? "800.00" : "300.00")
                                            + "\",\"currency\":\"CNY\",\"reason\":\"w1\"}"));
                            count(req, refused, failed);
                            String payout = req.field("payoutId");
                            if (req.status() == 201 && payout != null) {
                                if (big) {
                                    count(timed(latenciesNs, () -> send("approver:approver-pass",
                                            "POST", path + "/payouts/" + payout + "/approve",
                                            "{}")), refused, failed);
                                }
                                count(timed(latenciesNs, () -> post(path + "/payouts/" + payout
                                        + "/pay", "{}")), refused, failed);
                            }
                        } else if (!myDonations.isEmpty()) {
                            String[] d = myDonations.remove(myDonations.size() - 1).split("\\|");
                            count(timed(latenciesNs, () -> post("/api/v1/funds/" + d[0]
                                    + "/reversals", "{\"transactionId\":\"" + d[1]
                                    + "\",\"reason\":\"w1 correction\"}")), refused, failed);
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }

        // Projection lag: how long after the event log reached a position the projection did.
        ProjectionLag lag = new ProjectionLag();
        List<Double> lagsMs = new ArrayList<>();
        long started = System.nanoTime();
        long lastReport = started;
        while (System.nanoTime() < end) {
            long head = position(send("auditor:auditor-pass", "GET", "/api/v1/audit/chain/head",
                    null), "globalIndex");
            long now = System.nanoTime();
            lag.head(now, head);
            long asked = System.nanoTime();
            Answer p = send("admin:admin-pass", "GET", "/api/v1/admin/projections", null);
            lagsMs.add(lag.lagMs(asked, Long.parseLong(p.field("ledger"))));
            if (now - lastReport > 10_000_000_000L) {
                System.err.printf("W1: %.0f s, %d commands%n", (now - started) / 1e9,
                        latenciesNs.size());
                lastReport = now;
            }
            Thread.sleep(SAMPLE_EVERY_MS);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = new ArrayList<>(latenciesNs);
        Collections.sort(sorted);
        Collections.sort(lagsMs);
        System.out.printf(Locale.ROOT, "{\"workload\":\"W1\",\"seconds\":%.1f,\"clients\":%d,"
                        + "\"funds\":%d,\"commands\":%d,\"refused\":%d,\"failed\":%d,"
                        + "\"commandsPerSecond\":%.1f,\"p50Ms\":%.1f,\"p99Ms\":%.1f,"
                        + "\"projectionLagP99Ms\":%.1f}%n", elapsed, clients, funds, sorted.size(),
                refused.get(), failed.get(), sorted.size() / elapsed, Figures.percentileMs(sorted, 50),
                Figures.percentileMs(sorted, 99), lagsMs.isEmpty() ? -1.0 : lagsMs.get(
                        Math.min(lagsMs.size() - 1, (int) (lagsMs.size() * 0.99))));
    }

    private interface Call {
        Answer call() throws Exception;
    }

    private static Answer timed(ConcurrentLinkedQueue<Long> into, Call call) throws Exception {
        long t0 = System.nanoTime();
        Answer a = call.call();
        into.add(System.nanoTime() - t0);
        return a;
    }

    private static void count(Answer a, AtomicLong refused, AtomicLong failed) {
        if (a.status() >= 500) {
            failed.incrementAndGet();
        } else if (a.status() >= 400) {
            refused.incrementAndGet();
        }
    }

    private static long position(Answer a, String field) {
        String v = a.field(field);
        return v == null ? 0 : Long.parseLong(v.trim());
    }
}
