package org.aidledger.query.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aidledger.query.partner.PartnerReads;
import org.aidledger.query.read.LedgerReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hosts the gRPC services, the standard health service and server reflection on
 * {@code ledger.grpc.port} (0 picks a free port, as tests do). Calls run on
 * {@code ledger.grpc.call-threads} threads (0, the default: two per core).
 */
@Component
public class GrpcServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
    /** Largest request a caller may send, in bytes. */
    private static final int INBOUND_MESSAGE_BYTES_MAX = 1024 * 1024;
    private static final long SHUTDOWN_GRACE_SECONDS = 5;

    private final int configuredPort;
    private final List<BindableService> services;
    private final HealthStatusManager health = new HealthStatusManager();
    private final int callThreads;
    private volatile Server server;
    private volatile ExecutorService callExecutor;
    private final CallThreads callThreadFactory = new CallThreads();

    public GrpcServer(@Value("${ledger.grpc.port:9090}") int configuredPort,
            @Value("${ledger.grpc.call-threads:0}") int callThreads, LedgerReads reads,
            PartnerReads partnerReads) {
        this.configuredPort = configuredPort;
        this.callThreads = callThreads > 0 ? callThreads
                : 2 * Runtime.getRuntime().availableProcessors();
        this.services = List.of(new LedgerQueryGrpcService(reads),
                new PartnerGrpcService(partnerReads, PartnerScope.ANY_CALLER));
    }

    @Override
    public void start() {
        callExecutor = Executors.newFixedThreadPool(callThreads,
                callThreadFactory);
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(configuredPort))
                .executor(callExecutor)
                .maxInboundMessageSize(INBOUND_MESSAGE_BYTES_MAX)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        services.forEach(builder::addService);
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start gRPC on port " + configuredPort, e);
        }
        health.setStatus("", ServingStatus.SERVING);
        services.forEach(s -> health.setStatus(s.bindService().getServiceDescriptor().getName(),
                ServingStatus.SERVING));
        log.info("gRPC listening on port {}", server.getPort());
    }

    @Override
    public void stop() {
        Server s = server;
        if (s == null) {
            return;
        }
        health.enterTerminalState();
        s.shutdown();
        try {
            if (!s.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                s.shutdownNow();
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
        callExecutor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Daemon threads named grpc-call-N. */
    private static final class CallThreads implements ThreadFactory {
        private final AtomicInteger count =
                new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "grpc-call-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * How many threads this server has started to run calls on. Calls are run on a fixed set
     * of {@code ledger.grpc.call-threads} threads (by default two per core), where they wait
     * their turn: with a thread per concurrent call, 32 callers on a two-core machine halved
     * the calls answered per second (W4 in BENCHMARKS.md).
     */
    public int callThreadsStarted() {
        return callThreadFactory.count.get();
    }

    /** The port actually bound, which differs from the configured one when that is 0. */
    public int port() {
        return server.getPort();
    }
}
