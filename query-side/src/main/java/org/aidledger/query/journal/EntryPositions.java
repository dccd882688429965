package org.aidledger.query.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each journal entry is, by fund and transaction id, while the journal is rebuilt from
 * the first event: a 64-bit hash of the two mapped to the entry's position. Entries are kept in
 * the order they are put, 16 bytes each, and go into an open-addressed table (about 32 bytes an
 * entry; a map of strings took several times that) only when one is looked up: the table
 * outgrows the caches, and each entry put into it cost a miss (1,370,000 entries: about 0.3 s,
 * and its growing as much again), while a replay looks entries up only for reversals, which
 * come mostly early in a store's life or not at all. Two entries whose ids hash alike are told
 * apart by the caller, which reads the entry back and checks its fund and transaction id.
 */
final class EntryPositions {

    private static final long EMPTY = 0;
    /** Entries put and not yet in the table, in blocks of this many. */
    private static final int BLOCK = 4096;

    /**
     * Slot i's key at 2i and its position at 2i + 1: one cache line for both (two arrays took
     * two misses a look-up, and the table outgrows the caches).
     */
    private long[] table = new long[2 << 12];
    private int size;
    /** Entries put since the table was last brought up to date: key, position, in order. */
    private final List<long[]> pending = new ArrayList<>();
    private int pendingInLast = BLOCK;

    void put(String fundId, String transactionId, long position) {
        if (pendingInLast == BLOCK) {
            pending.add(new long[2 * BLOCK]);
            pendingInLast = 0;
        }
        long[] block = pending.get(pending.size() - 1);
        block[2 * pendingInLast] = key(fundId, transactionId);
        block[2 * pendingInLast + 1] = position;
        pendingInLast++;
    }

    /** The position of the entry with these ids (the last put), or -1. */
    long get(String fundId, String transactionId) {
        index();
        long key = key(fundId, transactionId);
        int mask = table.length / 2 - 1;
        for (int i = slot(key, mask); table[2 * i] != EMPTY; i = (i + 1) & mask) {
            if (table[2 * i] == key) {
                return table[2 * i + 1];
            }
        }
        return -1;
    }

    /** How many distinct entries were put. */
    int size() {
        index();
        return size;
    }

    /** Puts the pending entries into the table, in the order they were put. */
    private void index() {
        for (int b = 0; b < pending.size(); b++) {
            long[] block = pending.get(b);
            int count = b == pending.size() - 1 ? pendingInLast : BLOCK;
            for (int j = 0; j < count; j++) {
                insert(block[2 * j], block[2 * j + 1]);
            }
        }
        pending.clear();
        pendingInLast = BLOCK;
    }

    private void insert(long key, long position) {
        if (size * 4 >= table.length) {
            grow();
        }
        int mask = table.length / 2 - 1;
        int i = slot(key, mask);
        while (table[2 * i] != EMPTY && table[2 * i] != key) {
            i = (i + 1) & mask;
        }
        if (table[2 * i] == EMPTY) {
            size++;
        }
        table[2 * i] = key;
        table[2 * i + 1] = position;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length / 2 - 1;
        for (int j = 0; j < old.length; j += 2) {
            if (old[j] != EMPTY) {
                int i = slot(old[j], mask);
                while (table[2 * i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                table[2 * i] = old[j];
                table[2 * i + 1] = old[j + 1];
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) (key ^ (key >>> 32)) & mask;
    }

    /** FNV-1a over both ids with a separator, finished by a 64-bit mix; never 0 (empty). */
    static long key(String fundId, String transactionId) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, fundId);
        h = (h ^ 0x1F) * 0x100000001b3L;
        h = fnv(h, transactionId);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
