package dev.mortgagelake.validation;

import dev.mortgagelake.parquet.ParquetWriterSettings;

import dev.mortgagelake.validation.duplicate.SeenIdFilter;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and tuning of a validation run.
 *
 * @param maxRecordChars       the hard ceiling on one CSV record (and field), in characters: beyond it
 *                             the parser cannot keep the record in bounded memory and record boundaries
 *                             are no longer trusted (typically a runaway quote), so the file is rejected
 *                             as {@link FileRejectionCode#RECORD_TOO_LARGE}
 * @param maxRowChars          the row size limit, in characters (sum of the record's field lengths): a
 *                             longer record is a row error
 *                             ({@link dev.mortgagelake.validation.contract.RowErrorCode#ROW_TOO_LARGE}) and
 *                             the stream goes on; at most {@code maxRecordChars}
 * @param maxFutureSkew        how far after the validation time a business timestamp may lie
 * @param maxRowsPerPart       rows per Silver part file before a partition rolls to the next part
 * @param maxDecompressedBytes a gzip file that inflates to more bytes than this is rejected as
 *                             {@link FileRejectionCode#DECOMPRESSION_LIMIT}
 * @param maxCompressionRatio  a gzip file whose decompressed/compressed ratio exceeds this (checked once
 *                             more than {@link #RATIO_CHECK_AFTER_BYTES} were inflated) is rejected as
 *                             {@link FileRejectionCode#DECOMPRESSION_LIMIT}
 * @param parquet              Parquet writer tuning (bounds memory per open writer)
 * @param maxSeenIdFilterBytes the most memory a run's filter of seen transaction ids may take
 *                             ({@link dev.mortgagelake.validation.duplicate.SeenIdFilter}); a smaller
 *                             filter only sends more rows through the exact shard-by-shard check
 */
public record ValidationConfig(int maxRecordChars, int maxRowChars, Duration maxFutureSkew, long maxRowsPerPart,
                               long maxDecompressedBytes, int maxCompressionRatio, ParquetWriterSettings parquet,
                               long maxSeenIdFilterBytes) {

    /** The compression ratio is only judged once this many bytes were inflated (small files cannot be bombs). */
    public static final long RATIO_CHECK_AFTER_BYTES = 1024L * 1024;

    /**
     * 1 Mi characters per record (hard), 64 Ki characters per row, 1 day of skew, 5 million rows per
     * part, 64 GiB decompressed at most, ratio at most 200, default Parquet settings, a seen-id filter
     * of at most 32 MiB.
     */
    public static final ValidationConfig DEFAULT = new ValidationConfig(1024 * 1024, 64 * 1024, Duration.ofDays(1), 5_000_000L,
            64L * 1024 * 1024 * 1024, 200, ParquetWriterSettings.DEFAULT, SeenIdFilter.MAX_BYTES);

    public ValidationConfig {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(parquet, "parquet");
        if (maxRecordChars < 256) {
            throw new IllegalArgumentException("maxRecordChars must be at least 256: " + maxRecordChars);
        }
        if (maxRowChars < 64 || maxRowChars > maxRecordChars) {
            throw new IllegalArgumentException("maxRowChars must be between 64 and maxRecordChars (" + maxRecordChars + "): "
                    + maxRowChars);
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative: " + maxFutureSkew);
        }
        if (maxRowsPerPart < 1) {
            throw new IllegalArgumentException("maxRowsPerPart must be positive: " + maxRowsPerPart);
        }
        if (maxDecompressedBytes < 1) {
            throw new IllegalArgumentException("maxDecompressedBytes must be positive: " + maxDecompressedBytes);
        }
        if (maxCompressionRatio < 2) {
            throw new IllegalArgumentException("maxCompressionRatio must be at least 2: " + maxCompressionRatio);
        }
        if (maxSeenIdFilterBytes < SeenIdFilter.MIN_BYTES || maxSeenIdFilterBytes > SeenIdFilter.MAX_BYTES) {
            throw new IllegalArgumentException("maxSeenIdFilterBytes must be between " + SeenIdFilter.MIN_BYTES + " and "
                    + SeenIdFilter.MAX_BYTES + ": " + maxSeenIdFilterBytes);
        }
    }

    /** Sets the hard record ceiling; the row limit is lowered to it if it was larger. */
    public ValidationConfig withMaxRecordChars(int value) {
        return new ValidationConfig(value, Math.min(maxRowChars, value), maxFutureSkew, maxRowsPerPart, maxDecompressedBytes,
                maxCompressionRatio, parquet, maxSeenIdFilterBytes);
    }

    public ValidationConfig withMaxRowChars(int value) {
        return new ValidationConfig(maxRecordChars, value, maxFutureSkew, maxRowsPerPart, maxDecompressedBytes,
                maxCompressionRatio, parquet, maxSeenIdFilterBytes);
    }

    public ValidationConfig withMaxFutureSkew(Duration value) {
        return new ValidationConfig(maxRecordChars, maxRowChars, value, maxRowsPerPart, maxDecompressedBytes,
                maxCompressionRatio, parquet, maxSeenIdFilterBytes);
    }

    public ValidationConfig withMaxRowsPerPart(long value) {
        return new ValidationConfig(maxRecordChars, maxRowChars, maxFutureSkew, value, maxDecompressedBytes,
                maxCompressionRatio, parquet, maxSeenIdFilterBytes);
    }

    public ValidationConfig withDecompressionLimits(long maxBytes, int maxRatio) {
        return new ValidationConfig(maxRecordChars, maxRowChars, maxFutureSkew, maxRowsPerPart, maxBytes, maxRatio, parquet,
                maxSeenIdFilterBytes);
    }

    public ValidationConfig withMaxSeenIdFilterBytes(long value) {
        return new ValidationConfig(maxRecordChars, maxRowChars, maxFutureSkew, maxRowsPerPart, maxDecompressedBytes,
                maxCompressionRatio, parquet, value);
    }

    public ValidationConfig withParquet(ParquetWriterSettings value) {
        return new ValidationConfig(maxRecordChars, maxRowChars, maxFutureSkew, maxRowsPerPart, maxDecompressedBytes,
                maxCompressionRatio, value, maxSeenIdFilterBytes);
    }
}
