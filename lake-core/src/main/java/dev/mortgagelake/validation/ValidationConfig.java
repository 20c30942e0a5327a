package dev.mortgagelake.validation;

import dev.mortgagelake.parquet.ParquetWriterSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and tuning of a validation run.
 *
 * @param maxRecordChars the largest record (and field) accepted, in characters; a larger one rejects
 *                       the file as {@link FileRejectionCode#RECORD_TOO_LARGE} (it bounds the memory
 *                       one record can take, e.g. behind a runaway quote)
 * @param maxFutureSkew  how far after the validation time a business timestamp may lie
 * @param maxRowsPerPart rows per Silver part file before a partition rolls to the next part
 * @param parquet        Parquet writer tuning (bounds memory per open writer)
 */
public record ValidationConfig(int maxRecordChars, Duration maxFutureSkew, long maxRowsPerPart, ParquetWriterSettings parquet) {

    /** 1 Mi characters per record, 1 day of skew, 5 million rows per part, default Parquet settings. */
    public static final ValidationConfig DEFAULT = new ValidationConfig(1024 * 1024, Duration.ofDays(1), 5_000_000L,
            ParquetWriterSettings.DEFAULT);

    public ValidationConfig {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(parquet, "parquet");
        if (maxRecordChars < 256) {
            throw new IllegalArgumentException("maxRecordChars must be at least 256: " + maxRecordChars);
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative: " + maxFutureSkew);
        }
        if (maxRowsPerPart < 1) {
            throw new IllegalArgumentException("maxRowsPerPart must be positive: " + maxRowsPerPart);
        }
    }

    public ValidationConfig withMaxRecordChars(int value) {
        return new ValidationConfig(value, maxFutureSkew, maxRowsPerPart, parquet);
    }

    public ValidationConfig withMaxFutureSkew(Duration value) {
        return new ValidationConfig(maxRecordChars, value, maxRowsPerPart, parquet);
    }

    public ValidationConfig withMaxRowsPerPart(long value) {
        return new ValidationConfig(maxRecordChars, maxFutureSkew, value, parquet);
    }

    public ValidationConfig withParquet(ParquetWriterSettings value) {
        return new ValidationConfig(maxRecordChars, maxFutureSkew, maxRowsPerPart, value);
    }
}
