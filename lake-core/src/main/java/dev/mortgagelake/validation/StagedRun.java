package dev.mortgagelake.validation;

import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.validation.duplicate.PublishedRowIndex;
import dev.mortgagelake.validation.quarantine.StagedQuarantine;
import dev.mortgagelake.validation.silver.StagedPart;

import java.util.List;

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

    void reject(FileRejectionCode code, String message) {
        rejection = code;
        rejectionMessage = message;
    }

    RunValidated.Counts counts() {
        return new RunValidated.Counts(rowsRead, silverRows, quarantinedRows, condemnedRows);
    }
}
