package org.aidledger.command.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

class LruCacheTest {

    @Test
    void aCachedFundSurvivesGarbageCollections() {
        LruCache cache = new LruCache(10);
        Object fund = new Object();
        cache.put("fund-1", fund);
        fund = null;
        for (int i = 0; i < 5; i++) {
            List<byte[]> garbage = new ArrayList<>();
            for (int j = 0; j < 64; j++) {
                garbage.add(new byte[1 << 16]);
            }
            garbage.clear();
            System.gc();
        }
        assertTrue(cache.containsKey("fund-1"));
        assertTrue(cache.<String, Object>get("fund-1") != null);
    }

    @Test
    void whenFullTheLeastRecentlyUsedEntryGoes() {
        LruCache cache = new LruCache(2);
        List<Object> expired = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryExpired(Object key) {
                expired.add(key);
            }
        });
        cache.put("a", "A");
        cache.put("b", "B");
        assertEquals("A", cache.get("a"));
        cache.put("c", "C");

        assertEquals(2, cache.size());
        assertNull(cache.get("b"));
        assertEquals("A", cache.get("a"));
        assertEquals("C", cache.get("c"));
        assertEquals(List.of("b"), expired);
    }

    @Test
    void removeAndPutIfAbsentBehaveAsAxonExpects() {
        LruCache cache = new LruCache(5);
        assertTrue(cache.putIfAbsent("a", "A"));
        assertFalse(cache.putIfAbsent("a", "other"));
        assertEquals("A", cache.get("a"));
        assertSame("A", cache.computeIfAbsent("a", () -> "unused"));
        cache.computeIfPresent("a", v -> v + "2");
        assertEquals("A2", cache.get("a"));
        assertTrue(cache.remove("a"));
        assertFalse(cache.remove("a"));
        cache.put("x", "X");
        cache.put("y", "Y");
        cache.removeAll();
        assertEquals(0, cache.size());
    }

    @Test
    void aCacheOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LruCache(0));
    }
}
