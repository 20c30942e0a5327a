package dev.mortgagelake.service.publish;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** publish-service configuration. */
@ConfigMapping(prefix = "lake.publish")
public interface PublishConfig {

    /** The Silver schema version this publisher promotes into. */
    @WithDefault("v1")
    String schemaVersion();

    /** How often the freshness and held-runs gauges re-read {@code _LATEST.json} and the held records ({@link TableState}). */
    State state();

    interface State {
        /** Interval between reads (also read after every promotion). */
        @WithDefault("60s")
        Duration every();
    }

    /** How a snapshot commit retries lost races. */
    Commit commit();

    interface Commit {
        /** Attempts before a commit gives up (set above the number of concurrent publishers). */
        @WithDefault("32")
        int maxAttempts();

        /** First backoff after a lost race (doubles, with jitter). */
        @WithDefault("10ms")
        Duration minBackoff();

        /** Longest backoff between attempts. */
        @WithDefault("1s")
        Duration maxBackoff();

        /** Read-backs to resolve an unknown commit outcome before reporting it unknown. */
        @WithDefault("3")
        int statusChecks();
    }
}
