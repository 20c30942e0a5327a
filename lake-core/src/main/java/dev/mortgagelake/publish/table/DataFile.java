package dev.mortgagelake.publish.table;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One immutable data file of a table (a Parquet part), in the table's bucket.
 *
 * @param key       the object key of the file
 * @param runId     the run that wrote it
 * @param rows      rows in the file
 * @param sizeBytes the object's size
 * @param sha256    lower-case hex SHA-256 of the object's bytes, as verified before it was committed
 */
public record DataFile(String key, String runId, long rows, long sizeBytes, String sha256) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public DataFile {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sha256, "sha256");
        if (key.isBlank() || runId.isBlank()) {
            throw new IllegalArgumentException("A data file needs a key and a run id");
        }
        if (rows < 0 || sizeBytes < 0) {
            throw new IllegalArgumentException("Negative rows or size for " + key);
        }
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Not a lower-case hex SHA-256 for " + key + ": '" + sha256 + "'");
        }
    }
}
