package dev.mortgagelake.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.storage.Location;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The {@code file_rejection.json} a run writes in its quarantine directory when the file as a whole
 * cannot be read as the contract. JSON ({@code snake_case}):
 *
 * <pre>
 * {
 *   "run_id": "...", "dataset": "mortgages/transactions", "schema_version": "v1", "ingest_date": "2026-01-21",
 *   "code": "MISSING_COLUMNS", "message": "missing required column(s) [Currency] (header: [...])",
 *   "bronze": {"bucket": "...", "key": "bronze/..."}, "input_sha256": "...",
 *   "rows_read_before_fault": 0,
 *   "drift": {"unknown_columns": [], "missing_columns": ["Currency"]},
 *   "rejected_at": "2026-01-21T12:00:05Z"
 * }
 * </pre>
 *
 * @param inputSha256         the SHA-256 recorded at ingest (the file may not have been read to its end)
 * @param rowsReadBeforeFault data records read before the fault was found (none of them is kept)
 */
public record FileRejectionRecord(
        String runId,
        String dataset,
        String schemaVersion,
        LocalDate ingestDate,
        FileRejectionCode code,
        String message,
        Location bronze,
        String inputSha256,
        long rowsReadBeforeFault,
        RunValidated.Drift drift,
        Instant rejectedAt) {

    public FileRejectionRecord {
        Objects.requireNonNull(runId, "run_id");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(bronze, "bronze");
        drift = drift == null ? RunValidated.Drift.NONE : drift;
    }

    /** Whether {@code other} records the same rejection (everything but {@code rejected_at}). */
    public boolean sameContentAs(FileRejectionRecord other) {
        return other != null && equals(new FileRejectionRecord(other.runId, other.dataset, other.schemaVersion, other.ingestDate,
                other.code, other.message, other.bronze, other.inputSha256, other.rowsReadBeforeFault, other.drift, rejectedAt));
    }

    public byte[] toJson() {
        try {
            return EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode the file rejection of run " + runId, e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a file rejection record */
    public static FileRejectionRecord fromJson(byte[] json) {
        try {
            return EventCodec.mapper().readValue(json, FileRejectionRecord.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a valid file rejection record: " + e.getMessage(), e);
        }
    }
}
