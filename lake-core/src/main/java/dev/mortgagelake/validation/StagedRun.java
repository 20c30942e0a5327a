package dev.mortgagelake.validation;

import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.validation.duplicate.PublishedRowIndex;
import dev.mortgagelake.validation.quarantine.StagedQuarantine;
import dev.mortgagelake.validation.silver.StagedPart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reading a run's input produced, before anything is uploaded: a file rejection, or the staged
 * output files and the row counts. Filled by the reading side ({@link RunValidator} for a Bronze file
 * or a retried batch), committed by {@link RunCommit}.
 */
final class StagedRun {
    FileRejectionCode rejection;
    String rejectionMessage;
    RunValidated.Drift drift = RunValidated.Drift.NONE;
    long rowsRead;
    long silverRows;
    long quarantinedRows;
    long condemnedRows;
    List<StagedPart> parts = List.of();
    StagedQuarantine quarantine;
    StagedQuarantine condemned;
    /** A retry run's lineage of the rows that passed ({@code retried_rows.parquet}); null otherwise or when none passed. */
    StagedQuarantine retried;
    List<PublishedRowIndex.StagedShard> indexShards = List.of();
    String inputSha256;
    long inputBytes;

    /** Per enumerated column, the rows of each value outside its reference data (bounded; see {@link #newEnumValue}). */
    final Map<String, Map<String, Long>> newEnumValues = new TreeMap<>();

    /**
     * Counts a row that carried {@code value}, outside the reference data of {@code column}. At most
     * {@link RunValidated.Drift#NEW_ENUM_VALUES_KEPT} distinct values are kept per column (each cut to
     * {@value RunValidator#DRIFT_NAME_CHARS} characters), the rows of the others are counted under
     * {@link RunValidated.Drift#OTHER_VALUES}, so the drift always fits in an event.
     */
    void newEnumValue(String column, String value) {
        Map<String, Long> counts = newEnumValues.computeIfAbsent(column, c -> new LinkedHashMap<>());
        String key = value.length() <= RunValidator.DRIFT_NAME_CHARS ? value
                : value.substring(0, RunValidator.DRIFT_NAME_CHARS) + "…(" + value.length() + " chars)";
        if (!counts.containsKey(key) && counts.size() >= RunValidated.Drift.NEW_ENUM_VALUES_KEPT) {
            key = RunValidated.Drift.OTHER_VALUES;
        }
        counts.merge(key, 1L, Long::sum);
    }

    /** The header's drift with the new enum values counted while reading. */
    RunValidated.Drift driftWithEnumValues() {
        return newEnumValues.isEmpty() ? drift : drift.withNewEnumValues(newEnumValues);
    }

    void reject(FileRejectionCode code, String message) {
        rejection = code;
        rejectionMessage = message;
    }

    RunValidated.Counts counts() {
        return new RunValidated.Counts(rowsRead, silverRows, quarantinedRows, condemnedRows);
    }
}
