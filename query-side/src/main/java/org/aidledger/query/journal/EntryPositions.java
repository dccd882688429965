package org.aidledger.query.journal;

/**
 * Where each journal entry is, by fund and transaction id, while the journal is rebuilt from
 * the first event: a 64-bit hash of the two mapped to the entry's position, in an open-addressed
 * table of two long arrays (about 32 bytes an entry; a map of strings took several times that).
 * Two entries whose ids hash alike are told apart by the caller, which reads the entry back and
 * checks its fund and transaction id.
 */
final class EntryPositions {

    private static final long EMPTY = 0;

    private long[] keys = new long[1 << 12];
    private long[] positions = new long[1 << 12];
    private int size;

    void put(String fundId, String transactionId, long position) {
        if (size * 2 >= keys.length) {
            grow();
        }
        long key = key(fundId, transactionId);
        int i = slot(key, keys.length);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & (keys.length - 1);
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = key;
        positions[i] = position;
    }

    /** The position of the entry with these ids, or -1. */
    long get(String fundId, String transactionId) {
        long key = key(fundId, transactionId);
        for (int i = slot(key, keys.length); keys[i] != EMPTY; i = (i + 1) & (keys.length - 1)) {
            if (keys[i] == key) {
                return positions[i];
            }
        }
        return -1;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldPositions = positions;
        keys = new long[oldKeys.length * 2];
        positions = new long[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = slot(oldKeys[j], keys.length);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & (keys.length - 1);
                }
                keys[i] = oldKeys[j];
                positions[i] = oldPositions[j];
            }
        }
    }

    private static int slot(long key, int length) {
        return (int) (key ^ (key >>> 32)) & (length - 1);
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
