package dev.mortgagelake.service.retry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** retry-service configuration. */
@ConfigMapping(prefix = "lake.retry")
public interface RetryConfig {

    /** Wait before each retry: the first before attempt 2, the next before attempt 3; the last repeats. */
    @WithDefault("15m,1h,6h")
    List<Duration> backoff();

    /** How the ledger backlog gauges are kept current ({@link LedgerBacklog}). */
    Backlog backlog();

    interface Backlog {
        /** Interval between reads of the ledger (each read lists it and reads every entry). */
        @WithDefault("60s")
        Duration every();
    }
}
