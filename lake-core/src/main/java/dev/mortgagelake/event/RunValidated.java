package dev.mortgagelake.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mortgagelake.storage.Location;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run was validated: its Silver partitions are complete ({@code _SUCCESS} written last) and its
 * quarantined rows are written. {@code counts.rowsRead == counts.silver + counts.quarantined + counts.condemned}
 * always holds; validation-service checks it before emitting.
 *
 * @param outcome       {@link Outcome#VALIDATED} (rows were read) or {@link Outcome#FILE_REJECTED} (the file as a
 *                      whole could not be read as the contract; see {@code fileRejection}); on the wire the same
 *                      strings {@code "VALIDATED"} / {@code "FILE_REJECTED"} as always
 * @param partitions    the Silver partitions the run wrote, one per business month
 * @param quarantine    the quarantine batch, or null when no row was quarantined
 * @param fileRejection the file-level fault, or null
 * @param drift         columns found that the contract does not know, and contract columns missing
 * @param condemned     the rows the run condemned (exact duplicates), or null when none was condemned;
 *                      additive optional field of v1 (older documents have none)
 * @param retry         for a retry run (run kind {@code RETRY}): the batch it re-validated and the
 *                      attempt it made; null for runs read from Bronze. Additive optional field of v1.
 */
public record RunValidated(
        String runId,
        String dataset,
        String schemaVersion,
        String runKind,
        LocalDate ingestDate,
        Location bronze,
        String inputSha256,
        Outcome outcome,
        Counts counts,
        List<Partition> partitions,
        QuarantineBatch quarantine,
        FileRejection fileRejection,
        Drift drift,
        List<String> supersedes,
        Instant validatedAt,
        CondemnedBatch condemned,
        RetryOf retry) {

    /** What validation made of the run's input; serialized by name ({@code "VALIDATED"}, {@code "FILE_REJECTED"}). */
    public enum Outcome {
        /** Rows were read: into Silver, quarantined or condemned. */
        VALIDATED,
        /** The file as a whole could not be read as the contract; see {@code fileRejection}. */
        FILE_REJECTED
    }

    /** {@link Outcome#VALIDATED}, under the name the writers and readers have always used. */
    public static final Outcome OUTCOME_VALIDATED = Outcome.VALIDATED;
    /** {@link Outcome#FILE_REJECTED}, under the name the writers and readers have always used. */
    public static final Outcome OUTCOME_FILE_REJECTED = Outcome.FILE_REJECTED;
    /** The run kind of a re-validation of quarantined or condemned rows. */
    public static final String KIND_RETRY = "RETRY";

    /** A run without condemned rows (the shape before {@code condemned} was added). */
    public RunValidated(String runId, String dataset, String schemaVersion, String runKind, LocalDate ingestDate, Location bronze,
                        String inputSha256, Outcome outcome, Counts counts, List<Partition> partitions, QuarantineBatch quarantine,
                        FileRejection fileRejection, Drift drift, List<String> supersedes, Instant validatedAt) {
        this(runId, dataset, schemaVersion, runKind, ingestDate, bronze, inputSha256, outcome, counts, partitions, quarantine,
                fileRejection, drift, supersedes, validatedAt, null, null);
    }

    /** A run read from Bronze (no {@code retry} link). */
    public RunValidated(String runId, String dataset, String schemaVersion, String runKind, LocalDate ingestDate, Location bronze,
                        String inputSha256, Outcome outcome, Counts counts, List<Partition> partitions, QuarantineBatch quarantine,
                        FileRejection fileRejection, Drift drift, List<String> supersedes, Instant validatedAt,
                        CondemnedBatch condemned) {
        this(runId, dataset, schemaVersion, runKind, ingestDate, bronze, inputSha256, outcome, counts, partitions, quarantine,
                fileRejection, drift, supersedes, validatedAt, condemned, null);
    }

    /** The attempt this run made: 1 for a run read from Bronze, {@code retry.attempt} for a retry run. */
    public int attempt() {
        return retry == null ? 1 : retry.attempt();
    }

    @JsonCreator
    public RunValidated {
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        supersedes = supersedes == null ? List.of() : List.copyOf(supersedes);
        drift = drift == null ? Drift.NONE : drift;
    }

    /** Rows by outcome. */
    public record Counts(long rowsRead, long silver, long quarantined, long condemned) {

        /** Rows in = rows out. */
        public boolean balanced() {
            return rowsRead == silver + quarantined + condemned;
        }
    }

    /** One Silver partition of the run: {@code yearMonth} is {@code YYYY-MM}. */
    public record Partition(String yearMonth, long rows, Location manifest) {
    }

    /** The rows the run quarantined, with the error codes and how often each occurred. */
    public record QuarantineBatch(Location location, long rows, java.util.Map<String, Long> errorCounts) {
    }

    /**
     * The rows the run condemned ({@code condemned_rows.parquet}), with how many were condemned for
     * each reason of {@link dev.mortgagelake.retry.CondemnationPolicy}.
     */
    public record CondemnedBatch(Location location, long rows, java.util.Map<String, Long> reasonCounts) {
    }

    /**
     * What a retry run re-validated: the batch ({@code batchKind} {@code QUARANTINE} or
     * {@code CONDEMNED} of run {@code batchRunId}, file {@code batch}), the attempt made, why
     * ({@link RetryDue#reason()}), the operator request behind it (or null), and
     * {@code retriedRows}: the lineage of the rows that passed (each row's origin run, source line,
     * {@code attempt_count} and {@code retry_history}), or null when none passed.
     */
    public record RetryOf(String batchRunId, String batchKind, Location batch, int attempt, String reason, String requestId,
                          Location retriedRows) {
    }

    /** A file-level fault: the whole file is kept in Bronze and recorded here. */
    public record FileRejection(String code, String message, Location record) {
    }

    /**
     * How the input deviated from the contract.
     *
     * @param unknownColumns header columns the contract does not know
     * @param missingColumns required contract columns the header lacks
     * @param newEnumValues  per enumerated Silver column ({@code transaction_type}), the values outside its
     *                       reference data and how many rows carried each (those rows are quarantined);
     *                       at most {@value #NEW_ENUM_VALUES_KEPT} values per column, the rest counted under
     *                       {@value #OTHER_VALUES}. Omitted from the JSON when empty (additive field)
     */
    public record Drift(List<String> unknownColumns, List<String> missingColumns,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, Long>> newEnumValues) {
        public static final Drift NONE = new Drift(List.of(), List.of());
        /** Distinct new values kept per column in an event. */
        public static final int NEW_ENUM_VALUES_KEPT = 50;
        /** The key under which the rows of values beyond {@link #NEW_ENUM_VALUES_KEPT} are counted. */
        public static final String OTHER_VALUES = "(other values)";

        public Drift(List<String> unknownColumns, List<String> missingColumns) {
            this(unknownColumns, missingColumns, Map.of());
        }

        @JsonCreator
        public Drift {
            unknownColumns = unknownColumns == null ? List.of() : List.copyOf(unknownColumns);
            missingColumns = missingColumns == null ? List.of() : List.copyOf(missingColumns);
            Map<String, Map<String, Long>> values = new TreeMap<>();
            if (newEnumValues != null) {
                newEnumValues.forEach((column, counts) -> {
                    if (counts != null && !counts.isEmpty()) {
                        values.put(column, Collections.unmodifiableMap(new TreeMap<>(counts)));
                    }
                });
            }
            newEnumValues = Collections.unmodifiableMap(values);
        }

        /** This drift with {@code newEnumValues} in place of its own. */
        public Drift withNewEnumValues(Map<String, Map<String, Long>> values) {
            return new Drift(unknownColumns, missingColumns, values);
        }

        /** Rows that carried a new value of {@code column}. */
        public long newEnumValueRows(String column) {
            return newEnumValues.getOrDefault(column, Map.of()).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
