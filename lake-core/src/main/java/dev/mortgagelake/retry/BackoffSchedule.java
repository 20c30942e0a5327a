package dev.mortgagelake.retry;

import java.time.Duration;
import java.util.List;

/**
 * How long a quarantine batch waits before each retry: {@code delays.get(0)} before attempt 2,
 * {@code delays.get(1)} before attempt 3, and so on (the last delay repeats). With
 * {@link CondemnationPolicy#MAX_ATTEMPTS} = 3 only the first two delays are used by scheduled retries;
 * approved attempts are due at once. Production default: 15 min, 1 h, 6 h; tests use seconds.
 */
public record BackoffSchedule(List<Duration> delays) {

    public BackoffSchedule {
        if (delays == null || delays.isEmpty()) {
            throw new IllegalArgumentException("A backoff schedule needs at least one delay");
        }
        if (delays.stream().anyMatch(d -> d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("Backoff delays must be positive: " + delays);
        }
        delays = List.copyOf(delays);
    }

    public static BackoffSchedule productionDefault() {
        return new BackoffSchedule(List.of(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6)));
    }

    /** The wait before {@code attempt} (2 = first retry). */
    public Duration delayBefore(int attempt) {
        if (attempt < 2) {
            throw new IllegalArgumentException("Attempt 1 is the first validation; retries start at 2, not " + attempt);
        }
        return delays.get(Math.min(attempt - 2, delays.size() - 1));
    }
}
