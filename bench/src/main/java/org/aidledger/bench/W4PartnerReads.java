package org.aidledger.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
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
import org.aidledger.proto.v1.GetFundBalancesRequest;
import org.aidledger.proto.v1.LedgerQueryServiceGrpc;

/**
 * W4, partner reads: fund balance queries over gRPC from concurrent callers, against funds that
 * hold money. Prints one line of JSON with QPS and p50/p99 latency, and progress on stderr.
 *
 * <p>Usage: {@code W4PartnerReads BASE_URL GRPC_HOST GRPC_PORT SECONDS CLIENTS FUNDS}
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
            channels.add(ManagedChannelBuilder.forAddress(host, port).usePlaintext().build());
        }
        // Warm-up: connections, JIT, the projection having caught up with the set-up.
        var warm = LedgerQueryServiceGrpc.newBlockingStub(channels.get(0));
        for (int i = 0; i < 2_000; i++) {
            warm.getFundBalances(GetFundBalancesRequest.newBuilder()
                    .setFundId(fundIds.get(i % funds)).build());
        }

        ConcurrentLinkedQueue<long[]> perThread = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            var stub = LedgerQueryServiceGrpc.newBlockingStub(channels.get(c % channels.size()));
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        stub.withDeadlineAfter(10, TimeUnit.SECONDS).getFundBalances(
                                GetFundBalancesRequest.newBuilder()
                                        .setFundId(fundIds.get(rnd.nextInt(funds))).build());
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        continue;
                    }
                    if (n == lat.length) {
                        lat = java.util.Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                perThread.add(java.util.Arrays.copyOf(lat, n));
            });
            t.start();
            threads.add(t);
        }
        for (int s = 10; s < seconds; s += 10) {
            Thread.sleep(10_000);
            System.err.printf("W4: %d s%n", s);
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        for (long[] l : perThread) {
            for (long v : l) {
                all.add(v);
            }
        }
        Collections.sort(all);
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        System.out.printf(Locale.ROOT, "{\"workload\":\"W4\",\"seconds\":%.1f,\"clients\":%d,"
                        + "\"funds\":%d,\"calls\":%d,\"failed\":%d,\"qps\":%.1f,\"p50Ms\":%.2f,"
                        + "\"p99Ms\":%.2f}%n", elapsed, clients, funds, all.size(), failed.get(),
                all.size() / elapsed, Figures.percentileMs(all, 50), Figures.percentileMs(all, 99));
    }
}
