package org.aidledger.query.read;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.aidledger.query.read.LedgerReads.FundBalances;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Funds' balances now, as last read from the read models, kept in memory until they change.
 * Partners ask for a fund's balances far more often than they change (W4 in BENCHMARKS.md:
 * three times the calls answered with this cache).
 *
 * <p>When a cached balance is dropped. The read models' tables announce every change on the
 * channel {@value #CHANNEL} when it commits (migration V13: triggers on account_balance,
 * payout_view and fund_view, whoever writes them: the projections of any node, or an
 * operator). A listener thread of this node holds a connection of its own that listens on
 * it and drops the balances of the funds named. Besides:
 * <ul>
 * <li>This node's own projection marks a fund as changing before it writes it ({@link
 * #changing}) and unmarks it after its transaction has ended ({@link #changed}): nothing is
 * cached for a fund meanwhile, so once this node's projection has committed a change, this
 * node never answers with the balance from before it, not even for the moment until the
 * notification arrives.</li>
 * <li>A fund's balance read while a change to it was announced or marked is returned but
 * not kept (see {@link #get}): a read that began before a commit may carry what the commit
 * replaced.</li>
 * <li>Nothing is served from memory unless the listener has confirmed its connection with a
 * round trip in the last {@value #TRUSTED_FOR_MS} ms: PostgreSQL sends a listening session
 * every notification committed before it answers the session's query, so a confirmed
 * connection has had every change committed before the round trip. A lost connection empties
 * the cache, and reads go to the database until the listener listens again.</li>
 * </ul>
 * So a balance served from memory is the balance in the read models, except for a change
 * another node committed at most a round trip ago (or, if the listener's connection stalls
 * without failing, {@value #TRUSTED_FOR_MS} ms ago); a read from the database could have
 * given the same answer a moment earlier. Balances as of a date or a position are never
 * cached. Only funds that exist are kept, so the cache holds at most one entry a fund.
 *
 * <p>{@code ledger.reads.balance-cache=false} turns it off: every read then goes to the
 * database.
 */
@Component
public class BalanceCache implements SmartLifecycle {

    /** The channel the read models' triggers announce changed funds on (migration V13). */
    public static final String CHANNEL = "aid_ledger_balances";
    /** In a notification's payload: every fund may have changed. */
    static final String ANY_FUND = "*";
    /** How long a listener's confirmed connection is trusted. */
    static final long TRUSTED_FOR_MS = 2_000;
    /** How often the listener confirms its connection with a round trip. */
    static final long CONFIRM_EVERY_MS = 250;
    private static final int WAIT_FOR_NOTIFICATIONS_MS = 250;
    private static final long RECONNECT_AFTER_MS = 1_000;
    private static final int ROUND_TRIP_TIMEOUT_MS = 5_000;
    /** The listener's session in pg_stat_activity. */
    public static final String APPLICATION_NAME = "aid-ledger balance-cache listener";

    private static final Logger log = LoggerFactory.getLogger(BalanceCache.class);

    private final DataSource dataSource;
    private final boolean enabled;
    private final ConcurrentHashMap<String, FundBalances> entries = new ConcurrentHashMap<>();
    /** Funds this node's projection is changing: how many of its transactions do. */
    private final ConcurrentHashMap<String, Integer> changing = new ConcurrentHashMap<>();
    /**
     * Goes up whenever every fund is dropped; {@link #versions} goes up per fund dropped. A read
     * that saw either move for its fund is not kept; changes to other funds do not stop it.
     */
    private final AtomicLong generation = new AtomicLong();
    /** How many times each fund was dropped (one entry per fund that ever changed). */
    private final ConcurrentHashMap<String, Long> versions = new ConcurrentHashMap<>();
    private final Counter fromMemory;
    private final Counter fromDatabase;
    /** {@link System#nanoTime()} of the last round trip that confirmed the listener. */
    private volatile long confirmedAt;
    private volatile boolean listening;
    private volatile boolean running;
    private volatile Thread listener;

    public BalanceCache(DataSource dataSource, MeterRegistry meters,
            @Value("${ledger.reads.balance-cache:true}") boolean enabled) {
        this.dataSource = dataSource;
        this.enabled = enabled;
        this.fromMemory = reads(meters, "memory");
        this.fromDatabase = reads(meters, "database");
        Gauge.builder("ledger.reads.balances.cached", this, BalanceCache::size)
                .description("funds whose balances now are kept in memory").register(meters);
    }

    private static Counter reads(MeterRegistry meters, String from) {
        return Counter.builder("ledger.reads.balances").tag("from", from)
                .description("reads of a fund's balances now, by where they were answered from")
                .register(meters);
    }

    /**
     * The fund's balances now: from memory when they are kept and the listener is confirmed,
     * else from {@code read}. Within a transaction always from {@code read}, and not kept.
     * Otherwise what {@code read} gives is kept unless a change to this fund (or to every
     * fund) was announced or marked while it ran, or one to this fund is being made. What
     * {@code read} throws (no such fund) is thrown and nothing is kept.
     */
    public FundBalances get(String fundId, Supplier<FundBalances> read) {
        // A read in a transaction may see that transaction's own uncommitted changes, which
        // no notification would ever take back if it rolled back.
        if (!trusted() || TransactionSynchronizationManager.isActualTransactionActive()) {
            fromDatabase.increment();
            return read.get();
        }
        FundBalances kept = entries.get(fundId);
        if (kept != null) {
            fromMemory.increment();
            return kept;
        }
        fromDatabase.increment();
        long before = generation.get();
        long version = versions.getOrDefault(fundId, 0L);
        FundBalances balances = read.get();
        if (changing.containsKey(fundId)) {
            return balances;
        }
        entries.put(fundId, balances);
        // Dropping a fund moves its version (or the generation) first and removes its entry
        // after: either the drop removes the entry just put, or the version has moved by now
        // and it goes here.
        if (generation.get() != before || versions.getOrDefault(fundId, 0L) != version
                || !trusted()) {
            entries.remove(fundId, balances);
        }
        return balances;
    }

    /** Whether balances may be served from memory now. */
    public boolean trusted() {
        return enabled && listening
                && System.nanoTime() - confirmedAt < TimeUnit.MILLISECONDS.toNanos(TRUSTED_FOR_MS);
    }

    /**
     * This node's projection is about to change the fund's rows: nothing is kept for the fund
     * until the same number of {@link #changed} calls, which come after the transaction ends.
     */
    public void changing(String fundId) {
        changing.merge(fundId, 1, Integer::sum);
        drop(fundId);
    }

    /** A transaction that called {@link #changing} for the fund has committed or rolled back. */
    public void changed(String fundId) {
        changing.computeIfPresent(fundId, (k, n) -> n == 1 ? null : n - 1);
        drop(fundId);
    }

    /** Drops the fund's kept balances. */
    void drop(String fundId) {
        versions.merge(fundId, 1L, Long::sum);
        entries.remove(fundId);
    }

    /** Drops every fund's kept balances. */
    void dropAll() {
        generation.incrementAndGet();
        entries.clear();
    }

    /** Whether the fund's balances are kept in memory now (tests). */
    public boolean keeps(String fundId) {
        return entries.containsKey(fundId);
    }

    /** How many funds' balances are kept (tests and the gauge). */
    public int size() {
        return entries.size();
    }

    /** Applies a notification's payload: fund ids separated by spaces, or {@value #ANY_FUND}. */
    void apply(String payload) {
        if (payload == null || payload.isEmpty() || payload.equals(ANY_FUND)) {
            dropAll();
            return;
        }
        for (String fundId : payload.split(" ")) {
            if (!fundId.isEmpty()) {
                drop(fundId);
            }
        }
    }

    @Override
    public void start() {
        running = true;
        if (!enabled) {
            log.info("balances are read from the database every time"
                    + " (ledger.reads.balance-cache=false)");
            return;
        }
        Thread t = new Thread(this::listen, "balance-cache-listener");
        t.setDaemon(true);
        listener = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        listening = false;
        Thread t = listener;
        if (t != null) {
            // Not interrupted: it waits at most WAIT_FOR_NOTIFICATIONS_MS on its connection.
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listener = null;
        dropAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Whether the listener listens on a connection now (tests). */
    public boolean listening() {
        return listening;
    }

    private void listen() {
        while (running) {
            Connection c = null;
            boolean failed = false;
            try {
                c = dataSource.getConnection();
                try (Statement s = c.createStatement()) {
                    c.setAutoCommit(true);
                    c.setNetworkTimeout(Runnable::run, ROUND_TRIP_TIMEOUT_MS);
                    s.execute("SET application_name = '" + APPLICATION_NAME + "'");
                    s.execute("LISTEN " + CHANNEL);
                    PGConnection pg = c.unwrap(PGConnection.class);
                    // Whatever was kept before may have changed unannounced meanwhile.
                    dropAll();
                    confirmedAt = System.nanoTime();
                    listening = true;
                    log.info("balances now are kept in memory; changes are heard on {}",
                            CHANNEL);
                    hear(s, pg);
                    listening = false;
                    // Stopped: the connection goes back to the pool as it came.
                    s.execute("UNLISTEN *; RESET application_name");
                }
            } catch (SQLException | RuntimeException e) {
                failed = true;
                if (running) {
                    log.warn("balances are read from the database until the listener on {}"
                            + " listens again: {}", CHANNEL, e.toString());
                }
            } finally {
                listening = false;
                dropAll();
                release(c, failed);
            }
            if (running) {
                try {
                    Thread.sleep(RECONNECT_AFTER_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Gives the listener's connection back. One that failed is evicted from the pool: it may
     * be dead, and the pool does not check a connection lent again within half a second of
     * its return (a balance read got the listener's terminated connection and failed with a
     * 500 before this).
     */
    private void release(Connection c, boolean failed) {
        if (c == null) {
            return;
        }
        try {
            if (failed && dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(c);
            } else {
                c.close();
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("listener connection not given back cleanly: {}", e.toString());
        }
    }

    /** Applies notifications and confirms the connection until stopped or the connection fails. */
    private void hear(Statement s, PGConnection pg) throws SQLException {
        while (running) {
            applyAll(pg.getNotifications(WAIT_FOR_NOTIFICATIONS_MS));
            if (System.nanoTime() - confirmedAt
                    >= TimeUnit.MILLISECONDS.toNanos(CONFIRM_EVERY_MS)) {
                long sentAt = System.nanoTime();
                s.execute("SELECT 1");
                // Every change committed before the round trip was announced before
                // its answer: applied here, before the connection counts as confirmed.
                applyAll(pg.getNotifications());
                confirmedAt = sentAt;
            }
        }
    }

    private void applyAll(PGNotification[] notifications) {
        if (notifications == null) {
            return;
        }
        for (PGNotification n : notifications) {
            apply(n.getParameter());
        }
    }
}
