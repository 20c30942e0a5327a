package dev.mortgagelake.service.validation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** validation-service configuration. */
@ConfigMapping(prefix = "lake.validation")
public interface ValidationServiceConfig {

    /** Local staging directory for Parquet files before upload; cleared at start-up. */
    @WithDefault("${java.io.tmpdir}/lake-validation")
    Path workDir();

    /** A CSV record longer than this many characters is a file-level fault (the stream cannot be trusted past it). */
    @WithDefault("1048576")
    int maxRecordChars();

    /** Timestamps later than now plus this are implausible ({@code TIMESTAMP_IN_FUTURE}). */
    @WithDefault("P1D")
    Duration maxFutureSkew();

    /** A Silver partition rolls over to a new part file after this many rows. */
    @WithDefault("5000000")
    long maxRowsPerPart();
}
