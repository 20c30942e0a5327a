package dev.mortgagelake.validation.quarantine;

import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A finished quarantine file in local staging.
 *
 * @param file        the local file
 * @param rows        quarantined rows
 * @param sizeBytes   size of the file
 * @param sha256      lower-case hex SHA-256 of the file
 * @param errorCounts for each error code: the number of quarantined rows carrying it (a row with
 *                    several codes counts once under each)
 */
public record StagedQuarantine(Path file, long rows, long sizeBytes, String sha256, SortedMap<String, Long> errorCounts) {

    public StagedQuarantine {
        errorCounts = Collections.unmodifiableSortedMap(new TreeMap<>(errorCounts));
    }
}
