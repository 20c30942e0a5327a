package dev.mortgagelake.validation.duplicate;

/**
 * The transaction ids a run has seen so far (its own valid rows and the published rows), as a blocked
 * Bloom filter over their hashes ({@link RowKeys}): {@link #addAndCheck} answers "certainly new" or
 * "maybe seen". "Certainly new" is exact (no false negatives): such a row is the first of its id in
 * the file and its id is not published, so it can go to Silver at once. "Maybe seen" includes a small
 * share of new ids (false positives, about 0.5% at 12 bits per id); those rows are only deferred to the
 * exact shard-by-shard check ({@link DeferredRows}), never misjudged.
 *
 * <p>Memory is the filter's size, chosen once from the expected number of ids and capped (at most
 * {@link #MAX_BYTES}), so it is bounded whatever the file's size; a file with more ids than expected
 * only defers more rows. Each id touches one 64-byte block (one cache line), {@value #BITS_PER_ID_SET}
 * bits in it. The size depends only on the expected count and the cap, so the same input against the
 * same published rows defers the same rows (the run's output is deterministic). Not thread-safe.
 */
public final class SeenIdFilter {

    /** Largest filter: 32 MiB (about 22 million ids at 12 bits each). */
    public static final long MAX_BYTES = 32L * 1024 * 1024;
    /** Smallest filter: one block. */
    public static final long MIN_BYTES = 64;
    /** Bits set per id, all within one 512-bit block. */
    private static final int BITS_PER_ID_SET = 6;
    private static final int TARGET_BITS_PER_ID = 12;

    private final long[] words;
    private final int blockMask;

    private SeenIdFilter(long bytes) {
        words = new long[(int) (bytes / Long.BYTES)];
        blockMask = words.length / 8 - 1;
    }

    /**
     * A filter for about {@code expectedIds} ids: 12 bits per id, rounded up to a power of two, at least
     * 64 KiB, at most {@code maxBytes} (itself rounded down to a power of two).
     */
    public static SeenIdFilter forExpectedIds(long expectedIds, long maxBytes) {
        if (maxBytes < MIN_BYTES || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be between " + MIN_BYTES + " and " + MAX_BYTES + ": " + maxBytes);
        }
        long wanted = Math.max(64L * 1024, Long.highestOneBit(Math.max(2, expectedIds * TARGET_BITS_PER_ID / 8) - 1) << 1);
        return new SeenIdFilter(Math.min(wanted, Long.highestOneBit(maxBytes)));
    }

    /** Size in bytes. */
    public long sizeBytes() {
        return (long) words.length * Long.BYTES;
    }

    /**
     * Adds the id and tells whether it may have been added before.
     *
     * @return false if the id was certainly never added; true if it may have been
     */
    public boolean addAndCheck(long h1, long h2) {
        int base = (int) (mix(h1) & blockMask) << 3;
        long bits = h2;
        boolean present = true;
        for (int i = 0; i < BITS_PER_ID_SET; i++) {
            int bit = (int) (bits & 511);
            bits >>>= 9;
            int word = base + (bit >>> 6);
            long mask = 1L << bit;
            if ((words[word] & mask) == 0) {
                present = false;
                words[word] |= mask;
            }
        }
        return present;
    }

    /** Adds the id. */
    public void add(long h1, long h2) {
        addAndCheck(h1, h2);
    }

    /** Block choice from bits of {@code h1} independent of the shard choice ({@link RowKeys#shardOf}) and of {@code h2}. */
    private static long mix(long h1) {
        long z = h1 * 0x9E3779B97F4A7C15L;
        return z ^ (z >>> 29);
    }
}
