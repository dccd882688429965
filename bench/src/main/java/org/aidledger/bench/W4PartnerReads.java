package org.aidledger.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.aidledger.proto.v1.FundBalances;
import org.aidledger.proto.v1.GetFundBalancesRequest;
import org.aidledger.proto.v1.LedgerQueryServiceGrpc;

/**
 * W4, partner reads: fund balance queries over gRPC from concurrent callers, against funds that
 * hold money. Prints one line of JSON with QPS and p50/p99 latency, and progress on stderr.
 *
 * <p>Usage: {@code W4PartnerReads BASE_URL GRPC_HOST GRPC_PORT SECONDS CLIENTS FUNDS
 * [WARMUP_SECONDS [SERVICE_PID [WARMUP_MAX_SECONDS]]]}: the same concurrent load runs
 * unmeasured for WARMUP_SECONDS (15) first. Given the service's process id (on this machine),
 * the warm-up then goes on in 5-second steps while the service's JIT compiler threads used more
 * than {@value #QUIET_COMPILER_SECONDS} s of CPU in the last step, up to WARMUP_MAX_SECONDS (60)
 * in all, and the report gives the compiler's CPU during the measured time: a fresh service's
 * compiler was still busy 30 s into this load (4.1, 2.7, 1.7, 1.5, 1.9 and 0.8 s of CPU in its
 * first six 5-second spans, then 0.01-0.15 s), a sixth of the machine at the start of a
 * measured half-minute that followed 15 s of warm-up.
 */
public final class W4PartnerReads {

    private W4PartnerReads() {
    }

    public static void main(String[] args) throws Exception {
        LedgerHttp http = new LedgerHttp(args[0], Duration.ofSeconds(30));
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int clients = Integer.parseInt(args[4]);
        int funds = Integer.parseInt(args[5]);
        int warmUpSeconds = args.length > 6 ? Integer.parseInt(args[6]) : 15;
        long servicePid = args.length > 7 ? Long.parseLong(args[7]) : -1;
        int warmUpMaxSeconds = args.length > 8 ? Integer.parseInt(args[8]) : 60;
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> fundIds = new ArrayList<>();
        for (int i = 0; i < funds; i++) {
            String fundId = http.fundWithCash("w4-" + run + "-" + i, "500.00", "1000.00");
            LedgerHttp.require(http.post("/api/v1/funds/" + fundId + "/donations",
                    "{\"donorType\":\"INDIVIDUAL\",\"amount\":\"" + (i + 1)
                            + ".00\",\"currency\":\"CNY\"}"));
            fundIds.add(fundId);
        }
        System.err.printf("W4: %d funds ready; %d gRPC callers for %d s%n", funds, clients,
                seconds);

        // A few channels, as separate partner systems would hold; each multiplexes its callers.
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            channels.add(ManagedChannelBuilder.forAddress(host, port).usePlaintext()
                    .directExecutor().build());
        }
        // Warm-up: connections, the projection having caught up with the set-up, then the
        // measured load itself, unmeasured, so that the JIT has compiled the service's paths
        // of a concurrent call (2,000 calls one after another left it compiling through the
        // first part of the measured time).
        var warm = LedgerQueryServiceGrpc.newBlockingStub(channels.get(0));
        for (int i = 0; i < 2_000; i++) {
            warm.getFundBalances(GetFundBalancesRequest.newBuilder()
                    .setFundId(fundIds.get(i % funds)).build());
        }
        if (warmUpSeconds > 0) {
            System.err.printf("W4: %d s of warm-up (not measured)%n", warmUpSeconds);
            drive(channels, fundIds, clients, warmUpSeconds, false);
        }
        int warmed = warmUpSeconds;
        while (servicePid > 0 && warmed < warmUpMaxSeconds) {
            double before = compilerCpuSeconds(servicePid);
            drive(channels, fundIds, clients, WARMUP_STEP_SECONDS, false);
            warmed += WARMUP_STEP_SECONDS;
            double used = compilerCpuSeconds(servicePid) - before;
            System.err.printf(Locale.ROOT, "W4: warm-up at %d s; the service's JIT compiler used"
                    + " %.2f s of CPU in the last %d s%n", warmed, used, WARMUP_STEP_SECONDS);
            if (used < QUIET_COMPILER_SECONDS) {
                break;
            }
        }
        double compilerBefore = servicePid > 0 ? compilerCpuSeconds(servicePid) : 0;
        Phase measured = drive(channels, fundIds, clients, seconds, true);
        String compiler = servicePid > 0 ? String.format(Locale.ROOT, "%.2f",
                compilerCpuSeconds(servicePid) - compilerBefore) : "null";
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        List<Long> all = measured.latencies();
        System.out.printf(Locale.ROOT, "{\"workload\":\"W4\",\"seconds\":%.1f,\"clients\":%d,"
                        + "\"funds\":%d,\"calls\":%d,\"failed\":%d,\"qps\":%.1f,\"p50Ms\":%.2f,"
                        + "\"p99Ms\":%.2f,\"warmUpSeconds\":%d,\"compilerCpuSeconds\":%s}%n",
                measured.seconds(), clients, funds, all.size(), measured.failed(),
                all.size() / measured.seconds(), Figures.percentileMs(all, 50),
                Figures.percentileMs(all, 99), warmed, compiler);
    }

    private static final int WARMUP_STEP_SECONDS = 5;
    /** At most this much compiler CPU in a 5-second step counts as quiet (W1: 0.75 s in 15). */
    private static final double QUIET_COMPILER_SECONDS = 0.25;
    /** Linux reports thread CPU times in ticks of 1/100 s (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * CPU seconds the JIT compiler threads (C1 and C2 CompilerThreadN) of process {@code pid}
     * have used so far, from {@code /proc/PID/task/TID/stat} (user and system time).
     */
    static double compilerCpuSeconds(long pid) throws java.io.IOException {
        long ticks = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(pid),
                "task"))) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(task.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue; // the thread ended between the listing and the read
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                if (!name.matches("C[12] CompilerThre.*")) {
                    continue;
                }
                // After the name: state, ppid, ... utime is the 12th field and stime the 13th.
                String[] f = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** What one run of the callers saw: each call's latency, the failed calls, the time. */
    private record Phase(List<Long> latencies, long failed, double seconds) {
    }

    private static Phase drive(List<ManagedChannel> channels, List<String> fundIds,
            int clients, int seconds, boolean progress) throws InterruptedException {
        // 32 callers, each with one call outstanding at a time, as pgbench -c 32 keeps one query
        // per connection in flight. The callers are driven by the channels' callbacks rather than
        // by a blocked thread each (pgbench -j 2 drives its 32 connections from two threads): on
        // a shared two-core machine, 32 threads of load generator would otherwise take the CPU
        // the service and PostgreSQL are being measured on.
        ConcurrentLinkedQueue<long[]> perCaller = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            new Caller(LedgerQueryServiceGrpc.newStub(channels.get(c % channels.size())),
                    fundIds, end, failed, perCaller, done).next();
        }
        for (int s = 10; progress && s < seconds; s += 10) {
            Thread.sleep(10_000);
            System.err.printf("W4: %d s%n", s);
        }
        if (!done.await(seconds + 30L, TimeUnit.SECONDS)) {
            throw new IllegalStateException("W4: callers did not finish");
        }
        List<Long> all = new ArrayList<>();
        for (long[] l : perCaller) {
            for (long v : l) {
                all.add(v);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Collections.sort(all);
        return new Phase(all, failed.get(), elapsed);
    }

    private static final java.util.concurrent.ScheduledExecutorService RETRY =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "w4-retry");
                t.setDaemon(true);
                return t;
            });

    /** One caller: the next call is sent from the callback of the previous one. */
    private static final class Caller implements StreamObserver<FundBalances> {
        private final LedgerQueryServiceGrpc.LedgerQueryServiceStub stub;
        private final List<String> fundIds;
        private final long end;
        private final AtomicLong failed;
        private final ConcurrentLinkedQueue<long[]> results;
        private final java.util.concurrent.CountDownLatch done;
        private long[] latencies = new long[1 << 16];
        private int n;
        private long sentAt;

        Caller(LedgerQueryServiceGrpc.LedgerQueryServiceStub stub, List<String> fundIds, long end,
                AtomicLong failed, ConcurrentLinkedQueue<long[]> results,
                java.util.concurrent.CountDownLatch done) {
            this.stub = stub;
            this.fundIds = fundIds;
            this.end = end;
            this.failed = failed;
            this.results = results;
            this.done = done;
        }

        void next() {
            sentAt = System.nanoTime();
            if (sentAt >= end) {
                results.add(java.util.Arrays.copyOf(latencies, n));
                done.countDown();
                return;
            }
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).getFundBalances(
                    GetFundBalancesRequest.newBuilder().setFundId(
                            fundIds.get(ThreadLocalRandom.current().nextInt(fundIds.size())))
                            .build(), this);
        }

        @Override
        public void onNext(FundBalances value) {
            if (n == latencies.length) {
                latencies = java.util.Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = System.nanoTime() - sentAt;
        }

        @Override
        public void onError(Throwable t) {
            failed.incrementAndGet();
            // Not from this stack: a failing channel can call back before the call returns.
            RETRY.schedule(this::next, 10, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onCompleted() {
            next();
        }
    }
}
