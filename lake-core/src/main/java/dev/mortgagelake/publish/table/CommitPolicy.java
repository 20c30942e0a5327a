package dev.mortgagelake.publish.table;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How hard {@link TableCommitter} tries.
 *
 * @param maxAttempts  create attempts per commit (lost races and retryable write failures both
 *                     count); must exceed the number of writers expected to commit to one table at
 *                     the same moment
 * @param minBackoff   pause after the first failed attempt
 * @param maxBackoff   cap of the exponential pause
 * @param statusChecks reads of the version document to settle an unknown write outcome before
 *                     giving up with {@link CommitStateUnknownException}
 */
public record CommitPolicy(int maxAttempts, Duration minBackoff, Duration maxBackoff, int statusChecks) {

    /** 10 attempts, 10 ms doubling to 1 s with jitter, 3 status checks. */
    public static final CommitPolicy DEFAULT = new CommitPolicy(10, Duration.ofMillis(10), Duration.ofSeconds(1), 3);

    public CommitPolicy {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1 || statusChecks < 1) {
            throw new IllegalArgumentException("maxAttempts and statusChecks must be >= 1");
        }
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("Need 0 <= minBackoff <= maxBackoff");
        }
    }

    /**
     * The pause after failed attempt {@code attempt} (1-based): exponential from {@code minBackoff},
     * capped at {@code maxBackoff}, uniformly jittered over its upper half so that writers that
     * collided do not collide again in lockstep.
     */
    public Duration backoff(int attempt) {
        long min = minBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = min > (cap >> shift) ? cap : Math.min(cap, min << shift);
        if (ceiling <= 0) {
            return Duration.ZERO;
        }
        long floor = ceiling / 2;
        return Duration.ofNanos(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
