package dev.mortgagelake.validation;

import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.retry.CondemnationPolicy;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.RowErrorCode;
import dev.mortgagelake.validation.contract.RowVerdict;
import dev.mortgagelake.validation.contract.TransactionRules;
import dev.mortgagelake.validation.quarantine.QuarantineStagingWriter;
import dev.mortgagelake.validation.quarantine.QuarantinedRow;
import dev.mortgagelake.validation.quarantine.RetryAttempt;

import java.io.IOException;
import java.util.List;

/**
 * Re-validates the rows of one quarantined (or condemned) batch for a retry run, row by row, into the
 * run's {@link RunSinks} and its retried-rows file. Each row ends in exactly one of Silver (lineage in
 * {@code retried_rows.parquet}), quarantine or condemned, and is counted in the {@link StagedRun}.
 * <ul>
 *   <li>A row whose earlier failure was structural ({@link RowErrorCode#isStructural()}, found in its
 *       codes or, for a row condemned {@code MAX_ATTEMPTS}, in its history) fails again with the same
 *       codes and message: its values were never trustworthy columns.</li>
 *   <li>Any other row has its five original values checked by the run's {@link TransactionRules}; a
 *       valid row then goes through the duplicate rules of every run ({@link RunSinks#takeValid}).</li>
 *   <li>Every row written has {@code attempt_count = due.attempt()} and its {@code retry_history}
 *       extended by the batch's attempt (the row's {@code attempt_count}, {@code due.batchValidatedAt()},
 *       its codes and message, run {@code due.batchRunId()}).</li>
 *   <li>A row that fails is quarantined again with its new failure, or, when
 *       {@code due.condemnOnFailure()}, condemned with {@link CondemnationPolicy#afterAttempts} (its new
 *       failure appended to {@code validation_error}).</li>
 * </ul>
 * Not thread-safe; one instance per retry run.
 */
final class RetryRows {

    private final RetryDue due;
    private final TransactionRules rules;
    private final RunSinks sinks;
    private final QuarantineStagingWriter retried;
    private final StagedRun run;
    private final CondemnationPolicy.Condemnation condemnation;

    RetryRows(RetryDue due, TransactionRules rules, RunSinks sinks, QuarantineStagingWriter retried, StagedRun run) {
        this.due = due;
        this.rules = rules;
        this.sinks = sinks;
        this.retried = retried;
        this.run = run;
        this.condemnation = due.condemnOnFailure()
                ? CondemnationPolicy.afterAttempts(due.attempt()).orElseThrow(() -> new IllegalArgumentException(
                        "attempt " + due.attempt() + " does not condemn"))
                : null;
    }

    void revalidate(QuarantinedRow row) throws IOException {
        run.rowsRead++;
        String[] values = row.valueArray();
        List<RetryAttempt> history = row.historyWithLatest(due.batchValidatedAt(), due.batchRunId());
        Failure structural = structuralFailure(row);
        if (structural != null) {
            fail(values, row, structural.codes(), structural.description(), history);
            return;
        }
        RowVerdict verdict = rules.check(values[ContractV1.IDX_TRANSACTION_ID], values[ContractV1.IDX_CUSTOMER_ID],
                values[ContractV1.IDX_TRANSACTION_AMOUNT], values[ContractV1.IDX_CURRENCY],
                values[ContractV1.IDX_TRANSACTION_TIMESTAMP]);
        if (!verdict.isValid()) {
            fail(values, row, verdict.errorCodes(), verdict.describe(), history);
            return;
        }
        RunSinks.Taken taken = sinks.takeValid(values, row.sourceLine(), verdict);
        if (taken == null) {
            // Lineage of the passing row: its last failure, the attempt that passed, the full history.
            retried.write(values, row.sourceLine(), row.rawRecord(), row.errorCodes(), row.validationError(), due.attempt(),
                    history);
            run.silverRows++;
        } else if (taken.condemned()) {
            sinks.condemned.write(values, row.sourceLine(), row.rawRecord(), taken.codes(), taken.description(), due.attempt(),
                    history);
            run.condemnedRows++;
        } else {
            fail(values, row, taken.codes(), taken.description(), history);
        }
    }

    private void fail(String[] values, QuarantinedRow row, List<String> codes, String description, List<RetryAttempt> history)
            throws IOException {
        if (condemnation != null) {
            sinks.condemned.write(values, row.sourceLine(), row.rawRecord(), List.of(condemnation.reason().name()),
                    condemnation.describe() + "; " + description, due.attempt(), history);
            run.condemnedRows++;
        } else {
            sinks.quarantine.write(values, row.sourceLine(), row.rawRecord(), codes, description, due.attempt(), history);
            run.quarantinedRows++;
        }
    }

    /**
     * The row's structural failure (its codes and message), or null: from the row's own codes, else from
     * the latest attempt of its history that had one (a row condemned {@code MAX_ATTEMPTS} carries only
     * that reason in its codes).
     */
    private static Failure structuralFailure(QuarantinedRow row) {
        if (row.errorCodes().stream().anyMatch(RowErrorCode::isStructural)) {
            return new Failure(row.errorCodes(), row.validationError());
        }
        List<RetryAttempt> history = row.retryHistory();
        for (int i = history.size() - 1; i >= 0; i--) {
            RetryAttempt attempt = history.get(i);
            if (attempt.errorCodes().stream().anyMatch(RowErrorCode::isStructural)) {
                return new Failure(attempt.errorCodes(), attempt.validationError());
            }
        }
        return null;
    }

    private record Failure(List<String> codes, String description) {
    }
}
