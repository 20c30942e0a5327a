package dev.mortgagelake.validation.duplicate;

/**
 * A set of transaction ids (as their two hashes, {@link RowKeys}) with the content fingerprint and a
 * reference chosen by the caller (e.g. the number of a candidate id) for each id. Open addressing
 * over primitive arrays: 28 bytes per slot, at most 2/3 full, no object per entry. Not thread-safe.
 */
public final class RowKeyTable {

    private long[] id1;
    private long[] id2;
    private long[] fingerprints;
    private long[] refs;
    private boolean[] used;
    private int size;

    public RowKeyTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 3 / 2) - 1) << 1;
        allocate(capacity);
    }

    /** The slot holding the id, or -1. */
    public int find(long h1, long h2) {
        int mask = used.length - 1;
        for (int i = (int) (h1 ^ (h1 >>> 32)) & mask; used[i]; i = (i + 1) & mask) {
            if (id1[i] == h1 && id2[i] == h2) {
                return i;
            }
        }
        return -1;
    }

    /** Adds the id unless present; returns false if it was present (the table is unchanged then). */
    public boolean add(long h1, long h2, long fingerprint, long ref) {
        if ((size + 1) * 3L > used.length * 2L) {
            grow();
        }
        int mask = used.length - 1;
        int i = (int) (h1 ^ (h1 >>> 32)) & mask;
        for (; used[i]; i = (i + 1) & mask) {
            if (id1[i] == h1 && id2[i] == h2) {
                return false;
            }
        }
        used[i] = true;
        id1[i] = h1;
        id2[i] = h2;
        fingerprints[i] = fingerprint;
        refs[i] = ref;
        size++;
        return true;
    }

    public long fingerprint(int slot) {
        return fingerprints[slot];
    }

    public long ref(int slot) {
        return refs[slot];
    }

    public int size() {
        return size;
    }

    private void allocate(int capacity) {
        id1 = new long[capacity];
        id2 = new long[capacity];
        fingerprints = new long[capacity];
        refs = new long[capacity];
        used = new boolean[capacity];
    }

    private void grow() {
        long[] o1 = id1;
        long[] o2 = id2;
        long[] of = fingerprints;
        long[] or = refs;
        boolean[] ou = used;
        allocate(used.length * 2);
        size = 0;
        for (int i = 0; i < ou.length; i++) {
            if (ou[i]) {
                add(o1[i], o2[i], of[i], or[i]);
            }
        }
    }
}
