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

    /**
     * Hard ceiling on one CSV record, in characters: beyond it the record cannot be held in bounded memory and
     * its boundaries are not trusted (typically a runaway quote), so the file is rejected ({@code RECORD_TOO_LARGE}).
     */
    @WithDefault("1048576")
    int maxRecordChars();

    /** A record longer than this many characters is a row error ({@code ROW_TOO_LARGE}) and the stream goes on. */
    @WithDefault("65536")
    int maxRowChars();

    /**
     * The most memory a run's filter of seen transaction ids may take (64 to 33554432 bytes): smaller
     * only sends more rows through the exact shard-by-shard duplicate check.
     */
    @WithDefault("33554432")
    long maxSeenIdFilterBytes();

    /** A gzip file inflating to more bytes than this is rejected ({@code DECOMPRESSION_LIMIT}). */
    @WithDefault("68719476736")
    long maxDecompressedBytes();

    /** A gzip file inflating more than this many times its compressed size is a decompression bomb ({@code DECOMPRESSION_LIMIT}). */
    @WithDefault("200")
    int maxCompressionRatio();

    /** Timestamps later than now plus this are implausible ({@code TIMESTAMP_IN_FUTURE}). */
    @WithDefault("P1D")
    Duration maxFutureSkew();

    /** A Silver partition rolls over to a new part file after this many rows. */
    @WithDefault("5000000")
    long maxRowsPerPart();
}
