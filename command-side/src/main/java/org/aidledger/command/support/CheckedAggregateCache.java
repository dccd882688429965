package org.aidledger.command.support;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An aggregate cache that never hands out a stale aggregate. Before a cached aggregate is used,
 * its version is compared with the highest sequence number the event store holds for it (one
 * indexed lookup); when another node has appended since, the entry is dropped and the aggregate
 * is loaded from its events. Without this check a node would decide on old state: it refused
 * payouts of funds it still saw empty, and payouts it did not know had been requested
 * ({@code ./ledger chaos nodes} found both).
 */
public class CheckedAggregateCache implements Cache {

    private static final Field VERSION = versionField();
    private static final String VERSIONS_READ = CheckedAggregateCache.class.getName()
            + ".versionsRead";

    private final Cache delegate;
    private final JdbcTemplate jdbc;

    public CheckedAggregateCache(Cache delegate, JdbcTemplate jdbc) {
        this.delegate = delegate;
        this.jdbc = jdbc;
    }

    private static Field versionField() {
        try {
            Field f = AggregateCacheEntry.class.getDeclaredField("version");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Axon's AggregateCacheEntry has no version field;"
                    + " the cache cannot check freshness", e);
        }
    }

    @Override
    public <K, V> V get(K key) {
        V value = delegate.get(key);
        if (value instanceof AggregateCacheEntry<?> entry && !current(key, entry)) {
            delegate.remove(key);
            return null;
        }
        return value;
    }

    private boolean current(Object key, AggregateCacheEntry<?> entry) {
        Long cached;
        try {
            cached = (Long) VERSION.get(entry);
        } catch (IllegalAccessException e) {
            return false;
        }
        Map<String, Long> read = readBefore();
        if (read != null && read.containsKey(key.toString())) {
            return Objects.equals(cached, read.get(key.toString()));
        }
        List<Long> stored = jdbc.queryForList("SELECT max(sequencenumber) FROM domainevententry"
                + " WHERE aggregateidentifier = ?", Long.class, key.toString());
        return Objects.equals(cached, stored.isEmpty() ? null : stored.get(0));
    }

    /**
     * Reads, in the current transaction and in one statement, the highest sequence number the
     * event store holds for each of the given aggregates, for the checks of the commands about to
     * be handled in it (a group of commands, see GroupCommit): one round trip for the group
     * instead of one per fund. A fund appended to by another node after this read fails on its
     * sequence number when the group appends, as it would after a check of its own.
     */
    public void readVersionsFor(Collection<String> aggregateIds) {
        if (aggregateIds.isEmpty() || !CurrentUnitOfWork.isStarted()) {
            return;
        }
        Map<String, Long> read = new HashMap<>();
        for (String id : aggregateIds) {
            read.put(id, null);
        }
        // Each fund's highest sequence number alone, from the end of the index: a max() over
        // "aggregateidentifier = ANY (?)" read every event of every fund in the group, more with
        // each command a fund took (about 3,000 index entries for a group of 11 funds with some
        // 300 events each).
        jdbc.query("SELECT a.id, (SELECT max(e.sequencenumber) FROM domainevententry e"
                        + " WHERE e.aggregateidentifier = a.id)"
                        + " FROM unnest(?::varchar[]) AS a (id)",
                rs -> {
                    long version = rs.getLong(2);
                    read.put(rs.getString(1), rs.wasNull() ? null : version);
                }, (Object) aggregateIds.toArray(String[]::new));
        CurrentUnitOfWork.get().root().resources().put(VERSIONS_READ, read);
    }

    private static Map<String, Long> readBefore() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        return CurrentUnitOfWork.get().root().getResource(VERSIONS_READ);
    }

    @Override
    public void put(Object key, Object value) {
        delegate.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return delegate.putIfAbsent(key, value);
    }

    @Override
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return delegate.computeIfAbsent(key, valueSupplier);
    }

    @Override
    public boolean remove(Object key) {
        return delegate.remove(key);
    }

    @Override
    public void removeAll() {
        delegate.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return delegate.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        return delegate.registerCacheEntryListener(cacheEntryListener);
    }

    @Override
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        delegate.computeIfPresent(key, update);
    }
}
