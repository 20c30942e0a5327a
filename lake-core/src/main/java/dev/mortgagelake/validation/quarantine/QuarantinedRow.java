package dev.mortgagelake.validation.quarantine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One row of a quarantine or condemned file ({@link QuarantineSchemaV1}), as stored.
 *
 * @param values          the contract values as read, in the order of {@code ContractV1.VALUE_COLUMNS}
 *                        (the five required ones, then {@code TransactionType}); an element is
 *                        {@code null} where the record had no such field (or its file no such optional column)
 * @param sourceLine      the line of the Bronze file on which the record starts
 * @param rawRecord       every field of the record as one CSV record ({@link RawRecords})
 * @param validationError the failure of the row's latest attempt
 * @param errorCodes      its codes
 * @param attemptCount    attempts made so far
 * @param retryHistory    the earlier attempts, oldest first
 * @param runId           the run that wrote the row
 * @param ingestDate      the Bronze date of the row's origin file
 */
public record QuarantinedRow(List<String> values, long sourceLine, String rawRecord, String validationError,
                             List<String> errorCodes, int attemptCount, List<RetryAttempt> retryHistory, String runId,
                             LocalDate ingestDate) {

    public QuarantinedRow {
        values = Collections.unmodifiableList(new ArrayList<>(values));
        errorCodes = List.copyOf(errorCodes);
        retryHistory = List.copyOf(retryHistory);
    }

    /** The values as an array in contract order (a copy). */
    public String[] valueArray() {
        // rows built with the five v1.0 values only: TransactionType absent
        return Arrays.copyOf(values.toArray(new String[0]), Math.max(values.size(), QuarantineSchemaV1.VALUE_COLUMNS.size()));
    }

    /** The row's history with its latest attempt appended (made by {@code runId} at {@code attemptedAt}). */
    public List<RetryAttempt> historyWithLatest(java.time.Instant attemptedAt, String attemptRunId) {
        List<RetryAttempt> history = new ArrayList<>(retryHistory.size() + 1);
        history.addAll(retryHistory);
        history.add(new RetryAttempt(attemptCount, attemptedAt, errorCodes, validationError, attemptRunId));
        return history;
    }

    static QuarantinedRow of(String[] values, long sourceLine, String rawRecord, String validationError, List<String> errorCodes,
                             int attemptCount, List<RetryAttempt> retryHistory, String runId, LocalDate ingestDate) {
        return new QuarantinedRow(Arrays.asList(values), sourceLine, rawRecord, validationError, errorCodes, attemptCount,
                retryHistory, runId, ingestDate);
    }
}
