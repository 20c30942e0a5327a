package dev.mortgagelake.validation.duplicate;

/**
 * The hashes duplicate detection works with. A {@code TransactionID} is identified by two independent
 * 64-bit hashes (128 bits: for 10<sup>9</sup> ids the chance that two different ids share both is
 * about 10<sup>-21</sup>); a row's business content by a 64-bit fingerprint of the five values in
 * their canonical form (amount in cents, timestamp in UTC microseconds), so {@code 1.5} and
 * {@code 1.50}, or {@code 10:00+01:00} and {@code 09:00Z}, are the same content. The Silver
 * {@code transaction_type} (contract v1.1) is part of the content only when it is not {@code UNKNOWN}:
 * a row without a type has the fingerprint every row had before v1.1, so the fingerprints of the rows
 * published earlier stay valid, while the same row with a real type differs (an id conflict, never an
 * exact duplicate that would drop the type).
 */
public final class RowKeys {

    private static final long SEED_1 = 0x9E3779B97F4A7C15L;
    private static final long SEED_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long SEED_CONTENT = 0x165667B19E3779F9L;

    private RowKeys() {
    }

    public static long idHash1(String transactionId) {
        return hash(transactionId, SEED_1);
    }

    public static long idHash2(String transactionId) {
        return hash(transactionId, SEED_2);
    }

    /** The index shard ({@code 0 .. shards-1}) of a transaction id, from its first hash. */
    public static int shardOf(long idHash1, int shards) {
        return (int) Long.remainderUnsigned(mix(idHash1 ^ 0x5DEECE66DL), shards);
    }

    /**
     * The two id hashes and the content fingerprint of a valid row, in one pass over the id: the same
     * values as {@link #idHash1}, {@link #idHash2} and {@link #contentFingerprint}, at about half the cost.
     * Not thread-safe: one instance per run, refilled per row.
     */
    public static final class Keys {
        private long h1;
        private long h2;
        private long fingerprint;

        public long h1() {
            return h1;
        }

        public long h2() {
            return h2;
        }

        public long fingerprint() {
            return fingerprint;
        }

        /** Computes the keys of a row with the Silver {@code transaction_type} {@code transactionType}. */
        public Keys of(String transactionId, String customerId, long amountUnscaled, String currency, long timestampMicros,
                       String transactionType) {
            of(transactionId, customerId, amountUnscaled, currency, timestampMicros);
            fingerprint = withType(fingerprint, transactionType);
            return this;
        }

        /** Computes the keys of a row without a transaction type ({@code UNKNOWN}). */
        public Keys of(String transactionId, String customerId, long amountUnscaled, String currency, long timestampMicros) {
            int n = transactionId.length();
            long length = n * 0xFF51AFD7ED558CCDL;
            long a = SEED_1 ^ length;
            long b = SEED_2 ^ length;
            long c = SEED_CONTENT ^ length;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                long chunk = ((long) transactionId.charAt(i)) | ((long) transactionId.charAt(i + 1) << 16)
                        | ((long) transactionId.charAt(i + 2) << 32) | ((long) transactionId.charAt(i + 3) << 48);
                a = mix(a ^ chunk) * 0x9FB21C651E98DF25L;
                b = mix(b ^ chunk) * 0x9FB21C651E98DF25L;
                c = mix(c ^ chunk) * 0x9FB21C651E98DF25L;
            }
            for (; i < n; i++) {
                char ch = transactionId.charAt(i);
                a = (a ^ ch) * 0x100000001B3L;
                b = (b ^ ch) * 0x100000001B3L;
                c = (c ^ ch) * 0x100000001B3L;
            }
            h1 = mix(a);
            h2 = mix(b);
            long h = mix(c);
            h = mix(h ^ hash(customerId, SEED_CONTENT + 1));
            h = mix(h ^ amountUnscaled);
            h = mix(h ^ hash(currency, SEED_CONTENT + 2));
            fingerprint = mix(h ^ timestampMicros);
            return this;
        }
    }

    /** Fingerprint of a valid row's business content (the id included). */
    public static long contentFingerprint(String transactionId, String customerId, long amountUnscaled, String currency,
                                          long timestampMicros) {
        long h = hash(transactionId, SEED_CONTENT);
        h = mix(h ^ hash(customerId, SEED_CONTENT + 1));
        h = mix(h ^ amountUnscaled);
        h = mix(h ^ hash(currency, SEED_CONTENT + 2));
        return mix(h ^ timestampMicros);
    }

    /** Fingerprint of a valid row's business content with its Silver {@code transaction_type}. */
    public static long contentFingerprint(String transactionId, String customerId, long amountUnscaled, String currency,
                                          long timestampMicros, String transactionType) {
        return withType(contentFingerprint(transactionId, customerId, amountUnscaled, currency, timestampMicros), transactionType);
    }

    private static long withType(long fingerprint, String transactionType) {
        if (transactionType == null || transactionType.equals(dev.mortgagelake.validation.contract.ContractV1.UNKNOWN_TRANSACTION_TYPE)) {
            return fingerprint;
        }
        return mix(fingerprint ^ hash(transactionType, SEED_CONTENT + 3));
    }

    private static long hash(String value, long seed) {
        long h = seed ^ (value.length() * 0xFF51AFD7ED558CCDL);
        int i = 0;
        int n = value.length();
        for (; i + 3 < n; i += 4) {
            long chunk = ((long) value.charAt(i)) | ((long) value.charAt(i + 1) << 16) | ((long) value.charAt(i + 2) << 32)
                    | ((long) value.charAt(i + 3) << 48);
            h = mix(h ^ chunk) * 0x9FB21C651E98DF25L;
        }
        for (; i < n; i++) {
            h = (h ^ value.charAt(i)) * 0x100000001B3L;
        }
        return mix(h);
    }

    /** The SplitMix64 / MurmurHash3 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
