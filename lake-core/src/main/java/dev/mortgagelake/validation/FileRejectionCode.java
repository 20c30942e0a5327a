package dev.mortgagelake.validation;

/**
 * Why a whole file was rejected (outcome {@code FILE_REJECTED}). The codes are stable: they appear in
 * {@code file_rejection.json}, in {@code run-validated} and on dashboards; never renamed or reused.
 * A rejected file stays in Bronze untouched; no row of it reaches Silver or row quarantine.
 */
public enum FileRejectionCode {
    /** No bytes, or nothing but blank lines (after decompression and BOM). */
    EMPTY_FILE,
    /** A header and no data record. */
    HEADER_ONLY,
    /** The header lacks at least one contract column (names are matched exactly). */
    MISSING_COLUMNS,
    /** A contract column appears more than once in the header, so its values are ambiguous. */
    DUPLICATE_COLUMNS,
    /** The file starts with the gzip magic bytes but cannot be decompressed (corrupt or truncated). */
    CORRUPT_GZIP,
    /** The content is not valid UTF-8 (or carries a UTF-16/UTF-32 byte order mark). */
    NOT_UTF8,
    /** The CSV structure is broken (an unclosed quote, characters after a closing quote): record boundaries cannot be trusted. */
    MALFORMED_CSV,
    /** A record or field exceeds the configured maximum size (often a runaway quote). */
    RECORD_TOO_LARGE,
    /** The Bronze bytes do not match the SHA-256 or size recorded at ingest. */
    CHECKSUM_MISMATCH,
    /**
     * The header is one field that splits into the contract columns on another separator ({@code ;},
     * tab or {@code |}): the file is not comma-separated.
     */
    WRONG_DELIMITER,
    /**
     * The gzip content inflates beyond the configured size or compression ratio (a decompression
     * bomb, or a file far larger than the lake accepts); reading stops at the limit.
     */
    DECOMPRESSION_LIMIT,
    /**
     * The header has more columns than the lake accepts ({@code RunValidator.MAX_HEADER_COLUMNS}): not a
     * file of this contract, and its names would not fit in an event or a rejection record.
     */
    TOO_MANY_COLUMNS
}
