package dev.mortgagelake.validation;

import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.retry.CondemnationPolicy;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.RowErrorCode;
import dev.mortgagelake.validation.contract.RowVerdict;
import dev.mortgagelake.validation.contract.TransactionRules;
import dev.mortgagelake.validation.duplicate.DeferredRows;
import dev.mortgagelake.validation.quarantine.QuarantineStagingWriter;
import dev.mortgagelake.validation.quarantine.QuarantinedRow;
import dev.mortgagelake.validation.quarantine.RetryAttempt;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-validates the rows of one quarantined (or condemned) batch for a retry run, row by row, into the
 * run's {@link RunSinks} and its retried-rows file. Each row ends in exactly one of Silver (lineage in
 * {@code retried_rows.parquet}), quarantine or condemned, and is counted in the {@link StagedRun}.
 * <ul>
 *   <li>A row whose earlier failure was structural ({@link RowErrorCode#isStructural()}, found in its
 *       codes or, for a row condemned {@code MAX_ATTEMPTS}, in its history) fails again with the same
 *       codes and message: its values were never trustworthy columns.</li>
 *   <li>Any other row has its original values (the five required ones and its raw {@code TransactionType},
 *       {@code null} for a row of a file without one or quarantined before contract v1.1, so its type is
 *       {@code UNKNOWN} again) checked by the run's {@link TransactionRules}; a
 *       valid row then goes through the duplicate rules of every run ({@link RunSinks}): to Silver at
 *       once when its id is certainly new, otherwise decided by {@link #resolveDeferred} after the batch.</li>
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
    private final RunSinks<QuarantinedRow> sinks;
    private final QuarantineStagingWriter retried;
    private final StagedRun run;
    private final CondemnationPolicy.Condemnation condemnation;

    RetryRows(RetryDue due, TransactionRules rules, RunSinks<QuarantinedRow> sinks, QuarantineStagingWriter retried, StagedRun run) {
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
                values[ContractV1.IDX_TRANSACTION_TIMESTAMP], values[ContractV1.IDX_TRANSACTION_TYPE]);
        if (!verdict.isValid()) {
            RunValidator.countNewEnumValues(verdict, values, run);
            fail(values, row, verdict.errorCodes(), verdict.describe(), history);
            return;
        }
        if (sinks.toSilverIfNew(values, row.sourceLine(), verdict)) {
            passed(row);
        } else {
            sinks.deferLast(row);
        }
    }

    /** Decides the rows {@link RunSinks} deferred (their ids may be taken); call once every row was revalidated. */
    void resolveDeferred() throws IOException {
        sinks.resolveDeferred(new RunSinks.Outcomes<>() {
            @Override
            public String[] values(QuarantinedRow row) {
                return row.valueArray();
            }

            @Override
            public void silver(QuarantinedRow row) throws IOException {
                passed(row);
            }

            @Override
            public void taken(QuarantinedRow row, RunSinks.Taken taken) throws IOException {
                List<RetryAttempt> history = row.historyWithLatest(due.batchValidatedAt(), due.batchRunId());
                if (taken.condemned()) {
                    sinks.condemned.write(row.valueArray(), row.sourceLine(), row.rawRecord(), taken.codes(), taken.description(),
                            due.attempt(), history);
                    run.condemnedRows++;
                } else {
                    fail(row.valueArray(), row, taken.codes(), taken.description(), history);
                }
            }
        });
    }

    /** A row that went to Silver: its lineage (its last failure, the attempt that passed, the full history). */
    private void passed(QuarantinedRow row) throws IOException {
        retried.write(row.valueArray(), row.sourceLine(), row.rawRecord(), row.errorCodes(), row.validationError(), due.attempt(),
                row.historyWithLatest(due.batchValidatedAt(), due.batchRunId()));
        run.silverRows++;
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

    /** Stores a batch row among a retry run's deferred rows (every column, so it is written back unchanged). */
    static final DeferredRows.Codec<QuarantinedRow> BATCH_ROWS = new DeferredRows.Codec<>() {
        @Override
        public void write(DataOutputStream out, QuarantinedRow row) throws IOException {
            out.writeInt(row.values().size());
            for (String value : row.values()) {
                DeferredRows.writeString(out, value);
            }
            out.writeLong(row.sourceLine());
            DeferredRows.writeString(out, row.rawRecord());
            DeferredRows.writeString(out, row.validationError());
            writeStrings(out, row.errorCodes());
            out.writeInt(row.attemptCount());
            out.writeInt(row.retryHistory().size());
            for (RetryAttempt attempt : row.retryHistory()) {
                out.writeInt(attempt.attempt());
                out.writeLong(attempt.attemptedAt().getEpochSecond());
                out.writeInt(attempt.attemptedAt().getNano());
                writeStrings(out, attempt.errorCodes());
                DeferredRows.writeString(out, attempt.validationError());
                DeferredRows.writeString(out, attempt.runId());
            }
            DeferredRows.writeString(out, row.runId());
            out.writeLong(row.ingestDate().toEpochDay());
        }

        @Override
        public QuarantinedRow read(DataInputStream in) throws IOException {
            List<String> values = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                values.add(DeferredRows.readString(in));
            }
            long sourceLine = in.readLong();
            String rawRecord = DeferredRows.readString(in);
            String validationError = DeferredRows.readString(in);
            List<String> errorCodes = readStrings(in);
            int attemptCount = in.readInt();
            List<RetryAttempt> history = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                int attempt = in.readInt();
                Instant attemptedAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
                history.add(new RetryAttempt(attempt, attemptedAt, readStrings(in), DeferredRows.readString(in),
                        DeferredRows.readString(in)));
            }
            return new QuarantinedRow(values, sourceLine, rawRecord, validationError, errorCodes, attemptCount, history,
                    DeferredRows.readString(in), LocalDate.ofEpochDay(in.readLong()));
        }

        private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
            out.writeInt(strings.size());
            for (String string : strings) {
                DeferredRows.writeString(out, string);
            }
        }

        private static List<String> readStrings(DataInputStream in) throws IOException {
            List<String> strings = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                strings.add(DeferredRows.readString(in));
            }
            return strings;
        }
    };
}
