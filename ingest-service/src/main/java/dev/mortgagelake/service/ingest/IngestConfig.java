package dev.mortgagelake.service.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** ingest-service configuration. */
@ConfigMapping(prefix = "lake.ingest")
public interface IngestConfig {

    /** Only landing keys under this prefix are ingested (notifications for other keys are acknowledged and skipped). */
    @WithDefault("incoming/")
    String landingPrefix();

    /** The landing sweep, which ingests files whose notification never came. */
    Sweep sweep();

    interface Sweep {
        /** Whether the periodic sweep runs. */
        @WithDefault("true")
        boolean enabled();

        /** How often the sweep lists the landing prefix (a Quarkus scheduler interval, e.g. {@code 60s}). */
        @WithDefault("60s")
        String every();

        /** Landing objects younger than this are left to their notification. */
        @WithDefault("30s")
        Duration grace();
    }
}
