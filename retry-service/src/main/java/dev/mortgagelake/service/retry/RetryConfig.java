package dev.mortgagelake.service.retry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
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

    /** The durable sweep that (re-)emits {@code retry-due} from the ledger ({@link RetryDispatcher}). */
    Sweep sweep();

    /** Local directory for temporary copies of quarantine Parquet files read by the operator API. */
    @WithDefault("${java.io.tmpdir}/lake-retry")
    Path workDir();

    interface Backlog {
        /** Interval between reads of the ledger (each read lists it and reads every open batch). */
        @WithDefault("60s")
        Duration every();
    }

    interface Sweep {
        /** Interval between sweeps of the ledger for attempts that are due. */
        @WithDefault("60s")
        Duration every();

        /**
         * How long after a {@code retry-due} became visible on the queue without its attempt being made
         * the sweep sends it again (it was lost, or its consumer died). Longer than a validation takes.
         */
        @WithDefault("10m")
        Duration redispatchAfter();
    }
}
