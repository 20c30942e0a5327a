package dev.mortgagelake.validation;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvRecordHandler;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.retry.CondemnationPolicy;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.CurrencyAllowList;
import dev.mortgagelake.validation.contract.HeaderMapping;
import dev.mortgagelake.validation.contract.RowErrorCode;
import dev.mortgagelake.validation.contract.RowVerdict;
import dev.mortgagelake.validation.contract.StandardTransactionTypes;
import dev.mortgagelake.validation.contract.TransactionRules;
import dev.mortgagelake.validation.contract.TransactionTypes;
import dev.mortgagelake.validation.duplicate.DeferredRows;
import dev.mortgagelake.validation.duplicate.PublishedRowIndex;
import dev.mortgagelake.validation.quarantine.RawRecords;
import dev.mortgagelake.validation.quarantine.QuarantineRows;
import dev.mortgagelake.validation.quarantine.QuarantineStagingWriter;
import dev.mortgagelake.validation.quarantine.QuarantinedRow;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.jboss.logging.Logger;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Validates one Bronze run against contract v1: valid rows to Silver Parquet (one partition per
 * business month), invalid rows to the run's quarantine file, the whole file to a file rejection when
 * it cannot be read as the contract. Also re-validates a quarantined or condemned batch as a retry run
 * ({@link #retry}), committed the same way. Works on any {@link ObjectStore} (S3 in the service, a local
 * directory offline) and stages Parquet in a local work directory. Both kinds of run share the row
 * sinks and duplicate rules ({@link RunSinks}) and the commit protocol ({@link RunCommit}).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Rows in = rows out.</b> {@code rows_read = silver + quarantined + condemned} in every
 *       result; a violation is a bug and raises {@link IllegalStateException} before anything is
 *       committed.</li>
 *   <li><b>Never throws for bad data.</b> Bad rows are quarantined with every violated rule; a file
 *       that cannot be read as the contract gets outcome {@code FILE_REJECTED}, counts 0/0/0/0 and a
 *       {@code file_rejection.json}. Exceptions mean infrastructure ({@link StorageException}, retry
 *       per {@link StorageException#retryable()}), a malformed event ({@link InvalidEventException}), or a
 *       conflict with committed output ({@link RunConflictException}).</li>
 *   <li><b>Commit order.</b> Nothing is uploaded before the whole file is read. Then: every Silver
 *       part file and the quarantine, condemned and (retry runs) retried-rows files; then every partition's {@code manifest.json}; then every
 *       partition's {@code _SUCCESS}; last the run's validation record
 *       ({@link LakeLayout#validationRecord}), created once. A reader that trusts a partition only with
 *       its {@code _SUCCESS}, and a run only with its validation record, never sees partial output.</li>
 *   <li><b>Idempotent.</b> If the validation record exists, it is returned and nothing is read or
 *       written. After a crash at any point, validating again completes the same run: output of an
 *       earlier attempt with the same bytes is kept; uncommitted output with other bytes is replaced;
 *       committed output with other bytes raises {@link RunConflictException}. If a concurrent
 *       attempt wins the validation record, its record is returned.</li>
 *   <li><b>Bounded memory.</b> The file is streamed (a retried batch is downloaded to staging and read
 *       one row group at a time); at most one Parquet writer per partition (plus the quarantine,
 *       condemned and retried-rows writers) is open, each buffering at most one row group; duplicate
 *       detection holds a filter of at most {@link ValidationConfig#maxSeenIdFilterBytes()} and one batch
 *       of possibly-duplicate rows ({@link RunSinks}), never the file's or the table's rows.</li>
 *   <li>Local staging files are deleted when the call returns or fails.</li>
 * </ul>
 * Thread-safe: runs may be validated concurrently (each call stages in its own directory).
 */
public final class RunValidator {

    private static final Logger LOG = Logger.getLogger(RunValidator.class);

    /** The table name in the footer of a retry run's {@code retried_rows.parquet}. */
    private static final String RETRIED_TABLE = "mortgages/transactions/retried";

    private final ObjectStore store;
    private final LakeLayout layout;
    private final Clock clock;
    private final Supplier<CurrencyAllowList> currencies;
    private final Supplier<TransactionTypes> transactionTypes;
    private final PublishedRowIndex publishedRows;
    private final Path workDir;
    private final ValidationConfig config;
    private final RunCommit commit;

    /**
     * @param store      where Bronze is read and Silver, quarantine and the validation record are written
     * @param layout     the lake's keys
     * @param clock      validation time (timestamp upper bound, {@code validated_at}, {@code created_at})
     * @param currencies the currency allow-list for this validator's runs
     * @param workDir    local directory for staging files (created if missing)
     * @param config     limits and tuning
     *                   (the transaction types are the fixed {@link StandardTransactionTypes}: tests and tools
     *                   without reference data; the services use the constructor with both suppliers)
     */
    public RunValidator(ObjectStore store, LakeLayout layout, Clock clock, CurrencyAllowList currencies, Path workDir,
                        ValidationConfig config) {
        this(store, layout, clock, constant(currencies), workDir, config);
    }

    /**
     * A validator whose runs ask {@code currencies} for the allow-list, with the fixed
     * {@link StandardTransactionTypes} as the transaction-type enumeration.
     */
    public RunValidator(ObjectStore store, LakeLayout layout, Clock clock, Supplier<CurrencyAllowList> currencies, Path workDir,
                        ValidationConfig config) {
        this(store, layout, clock, currencies, StandardTransactionTypes::instance, workDir, config);
    }

    /**
     * @param currencies asked once at the start of each run (Bronze or retry) for the allow-list of that run (e.g.
     *                   {@link dev.mortgagelake.validation.reference.CurrencyReference#forRun}); a failure
     *                   propagates and nothing is validated
     * @param transactionTypes asked once at the start of each run for the transaction-type enumeration of that
     *                   run (e.g. {@link dev.mortgagelake.validation.reference.TransactionTypeReference#forRun}); a
     *                   failure (the enumeration is missing) propagates and nothing is validated
     */
    public RunValidator(ObjectStore store, LakeLayout layout, Clock clock, Supplier<CurrencyAllowList> currencies,
                        Supplier<TransactionTypes> transactionTypes, Path workDir, ValidationConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.transactionTypes = Objects.requireNonNull(transactionTypes, "transactionTypes");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.currencies = Objects.requireNonNull(currencies, "currencies");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.config = Objects.requireNonNull(config, "config");
        this.publishedRows = new PublishedRowIndex(store, layout);
        this.commit = new RunCommit(store, layout, clock);
    }

    private static Supplier<CurrencyAllowList> constant(CurrencyAllowList currencies) {
        Objects.requireNonNull(currencies, "currencies");
        return () -> currencies;
    }

    /**
     * Validates the run {@code landed} describes, or returns its stored result.
     *
     * @return the run's result, as stored in its validation record
     * @throws InvalidEventException if {@code landed} is not a valid v1 {@code file-landed} payload
     * @throws StorageException      if the store or the local staging directory fails
     * @throws RunConflictException  if committed output of the run differs from this validation's
     */
    public RunValidated validate(FileLanded landed) {
        RunId runId = checkEvent(landed);
        Location recordLocation = layout.validationRecord(runId);
        Optional<RunValidated> stored = commit.readRecord(recordLocation);
        if (stored.isPresent()) {
            LOG.debugf("Run %s is already validated; returning the stored record", runId);
            return stored.get();
        }
        Path staging = RunCommit.createStagingDirectory(workDir, runId);
        try {
            StagedRun scan = scan(landed, runId, rulesForRun(), staging);
            RunValidated result = scan.rejection != null
                    ? commitRejection(landed, runId, scan)
                    : commit.commitRows(new RunCommit.RunInput(runId, dataset(landed.dataset()), landed.runKind(),
                            landed.ingestDate(), landed.bronze(), landed.supersedes(), null), scan);
            return commit.commitRecord(recordLocation, result);
        } finally {
            RunCommit.deleteRecursively(staging);
        }
    }

    /**
     * Re-validates the batch {@code due} names (its rows' five original values, with the current rules
     * and reference data) into the retry run {@code due.retryRunId()}, or returns that run's stored
     * result. The run is committed exactly like a Bronze run (the guarantees above hold, with the batch
     * file as the input): rows that pass go to Silver parts of the retry run (published like any run)
     * and their lineage to {@code retried_rows.parquet}; rows that fail again go to the run's
     * {@code invalid_rows.parquet} (the next batch), or to its {@code condemned_rows.parquet}
     * ({@code MAX_ATTEMPTS}) when {@code due.condemnOnFailure()}; exact duplicates of published rows are
     * condemned at once. Every row written carries {@code attempt_count = due.attempt()} and its
     * {@code retry_history} extended by the batch's attempt. Rows whose earlier failure was structural
     * ({@link dev.mortgagelake.validation.contract.RowErrorCode#isStructural()}) fail again with the same
     * codes and message.
     *
     * @return the retry run's result ({@code run_kind RETRY}, {@code retry} linking it to the batch), as stored
     * @throws InvalidEventException if {@code due} is not a valid v1 {@code retry-due} payload, or its batch does not exist
     * @throws StorageException      if the store or the local staging directory fails, or the batch is not
     *                               a readable quarantine file (not retryable)
     * @throws RunConflictException  if committed output of the retry run differs from this validation's
     */
    public RunValidated retry(RetryDue due) {
        RunId retryRunId = checkEvent(due);
        Location recordLocation = layout.validationRecord(retryRunId);
        Optional<RunValidated> stored = commit.readRecord(recordLocation);
        if (stored.isPresent()) {
            LOG.debugf("Retry run %s is already validated; returning the stored record", retryRunId);
            return stored.get();
        }
        Path staging = RunCommit.createStagingDirectory(workDir, retryRunId);
        try {
            StagedRun staged = stageRetry(due, retryRunId, rulesForRun(), staging);
            RunValidated.RetryOf retry = new RunValidated.RetryOf(due.batchRunId(), due.batchKind(), due.quarantine(),
                    due.attempt(), due.reason(), due.requestId(), null);
            RunValidated result = commit.commitRows(new RunCommit.RunInput(retryRunId, dataset(due.dataset()),
                    RunValidated.KIND_RETRY, due.ingestDate(), due.quarantine(), List.of(), retry), staged);
            return commit.commitRecord(recordLocation, result);
        } finally {
            RunCommit.deleteRecursively(staging);
        }
    }

    /** The rules of one run: the allow-list asked once, timestamps bounded by the run's start plus the skew. */
    private TransactionRules rulesForRun() {
        Instant startedAt = clock.instant();
        CurrencyAllowList allowList = Objects.requireNonNull(currencies.get(), "the currency allow-list of the run");
        TransactionTypes types = Objects.requireNonNull(transactionTypes.get(), "the transaction-type enumeration of the run");
        return new TransactionRules(allowList, types, startedAt.plus(config.maxFutureSkew()),
                "validation time " + startedAt + " + " + config.maxFutureSkew());
    }

    // ---- reading a Bronze file --------------------------------------------------------------------

    private StagedRun scan(FileLanded landed, RunId runId, TransactionRules rules, Path staging) {
        StagedRun scan = new StagedRun();
        BronzeInput input;
        try {
            input = BronzeInput.open(store, landed.bronze(), config.maxDecompressedBytes(), config.maxCompressionRatio());
        } catch (BronzeInput.GzipFormatException e) {
            scan.reject(FileRejectionCode.CORRUPT_GZIP, "the file starts like gzip but cannot be decompressed: " + e.getMessage());
            return scan;
        } catch (BronzeInput.DecompressionLimitException e) {
            scan.reject(FileRejectionCode.DECOMPRESSION_LIMIT, e.getMessage());
            return scan;
        } catch (BronzeInput.Utf16MarkException e) {
            scan.reject(FileRejectionCode.NOT_UTF8, e.getMessage() + "; files must be UTF-8");
            return scan;
        }
        try (input;
             RunSinks<BronzeRow> sinks = new RunSinks<>(staging, runId, landed.ingestDate(), config,
                     publishedRows.view(ContractV1.SCHEMA_VERSION, landed.supersedes()), "this file",
                     expectedRows(landed.sizeBytes()), BRONZE_ROWS);
             CsvReader<CsvRecord> csv = CsvReader.builder()
                     .allowUnclosedQuote(false)
                     .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                     .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                     .skipEmptyLines(true)
                     .build(CsvRecordHandler.builder()
                             .maxFieldSize(config.maxRecordChars())
                             .maxRecordSize(config.maxRecordChars())
                             .build(), input.reader())) {
            CloseableIterator<CsvRecord> records = csv.iterator();
            CsvRecord headerRecord = next(records, scan, input, 0);
            if (scan.rejection != null) {
                return scan;
            }
            if (headerRecord == null) {
                scan.reject(FileRejectionCode.EMPTY_FILE, "the file has no content (" + describeInput(input) + ")");
                return scan;
            }
            HeaderMapping header = HeaderMapping.resolve(headerRecord.getFields());
            scan.drift = boundedDrift(header);
            if (headerRecord.getFieldCount() > MAX_HEADER_COLUMNS) {
                scan.reject(FileRejectionCode.TOO_MANY_COLUMNS, "the header (line 1) has " + headerRecord.getFieldCount()
                        + " columns; the lake accepts at most " + MAX_HEADER_COLUMNS + " (contract " + ContractV1.SCHEMA_VERSION
                        + " has " + ContractV1.COLUMNS.size() + ")");
                return scan;
            }
            if (!header.missingColumns().isEmpty()) {
                String separator = otherSeparator(headerRecord.getFields());
                if (separator != null) {
                    scan.reject(FileRejectionCode.WRONG_DELIMITER, "the header (line 1) is one field that splits into the contract "
                            + "columns on " + separator + ": files must be comma-separated (header: "
                            + TransactionRules.show(headerRecord.getField(0)) + ")");
                    return scan;
                }
                scan.reject(FileRejectionCode.MISSING_COLUMNS, header.describeProblem());
                return scan;
            }
            if (!header.duplicatedColumns().isEmpty()) {
                scan.reject(FileRejectionCode.DUPLICATE_COLUMNS, header.describeProblem());
                return scan;
            }
            readRows(records, header, rules, sinks, scan, input);
            if (scan.rejection != null) {
                return scan;
            }
            if (scan.rowsRead == 0) {
                scan.reject(FileRejectionCode.HEADER_ONLY, "the file has a header (line 1) but no data record");
                return scan;
            }
            scan.inputSha256 = input.drainAndHash();
            scan.inputBytes = input.rawBytes();
            String mismatch = checksumMismatch(landed, scan);
            if (mismatch != null) {
                scan.reject(FileRejectionCode.CHECKSUM_MISMATCH, mismatch);
                return scan;
            }
            sinks.resolveDeferred(bronzeOutcomes(sinks, scan));
            sinks.finishInto(scan);
            return scan;
        } catch (IOException e) {
            throw new StorageException("Cannot stage the output of run " + runId + " in " + staging + ": " + e.getMessage(), false, e);
        }
    }

    private void readRows(CloseableIterator<CsvRecord> records, HeaderMapping header, TransactionRules rules,
                          RunSinks<BronzeRow> sinks, StagedRun scan, BronzeInput input) throws IOException {
        int headerSize = header.header().size();
        int[] positions = header.positions();
        String[] values = new String[ContractV1.VALUE_COLUMNS.size()];
        long lastLine = 1;
        int maxRowChars = config.maxRowChars();
        while (true) {
            CsvRecord record = next(records, scan, input, lastLine);
            if (record == null) {
                return;
            }
            long line = record.getStartingLineNumber();
            lastLine = line;
            scan.rowsRead++;
            int fieldCount = record.getFieldCount();
            long recordChars = 0;
            for (int f = 0; f < fieldCount; f++) {
                recordChars += record.getField(f).length();
            }
            for (int c = 0; c < values.length; c++) {
                values[c] = positions[c] >= 0 && positions[c] < fieldCount ? record.getField(positions[c]) : null;
            }
            RowVerdict verdict;
            if (recordChars > maxRowChars) {
                verdict = TransactionRules.rowTooLarge(recordChars, maxRowChars);
            } else if (fieldCount != headerSize) {
                verdict = TransactionRules.fieldCountMismatch(headerSize, fieldCount);
            } else {
                verdict = rules.check(values[ContractV1.IDX_TRANSACTION_ID], values[ContractV1.IDX_CUSTOMER_ID],
                        values[ContractV1.IDX_TRANSACTION_AMOUNT], values[ContractV1.IDX_CURRENCY],
                        values[ContractV1.IDX_TRANSACTION_TIMESTAMP], values[ContractV1.IDX_TRANSACTION_TYPE]);
            }
            if (!verdict.isValid()) {
                sinks.quarantine.write(values, line, record.getFields(), verdict);
                scan.quarantinedRows++;
                countNewEnumValues(verdict, values, scan);
                continue;
            }
            if (sinks.toSilverIfNew(values, line, verdict)) {
                scan.silverRows++;
            } else {
                sinks.deferLast(new BronzeRow(values.clone(), line, RawRecords.encode(record.getFields())));
            }
        }
    }

    /** Counts the new enum values of a failed row in the run's drift ({@code drift.new_enum_values}). */
    static void countNewEnumValues(RowVerdict verdict, String[] values, StagedRun run) {
        if (verdict.errorCodes().contains(RowErrorCode.TRANSACTION_TYPE_UNKNOWN_VALUE.name())) {
            run.newEnumValue(SilverSchemaV1.TRANSACTION_TYPE, values[ContractV1.IDX_TRANSACTION_TYPE]);
        }
    }

    /** A valid Bronze row whose id may be taken, as kept until the run's duplicates are resolved. */
    private record BronzeRow(String[] values, long line, String rawRecord) {
    }

    /** Stores {@link BronzeRow}s among a run's deferred rows. */
    private static final DeferredRows.Codec<BronzeRow> BRONZE_ROWS = new DeferredRows.Codec<>() {
        @Override
        public void write(DataOutputStream out, BronzeRow row) throws IOException {
            for (String value : row.values()) {
                DeferredRows.writeString(out, value);
            }
            out.writeLong(row.line());
            DeferredRows.writeString(out, row.rawRecord());
        }

        @Override
        public BronzeRow read(DataInputStream in) throws IOException {
            String[] values = new String[ContractV1.VALUE_COLUMNS.size()];
            for (int c = 0; c < values.length; c++) {
                values[c] = DeferredRows.readString(in);
            }
            return new BronzeRow(values, in.readLong(), DeferredRows.readString(in));
        }
    };

    /** Where a Bronze run's deferred rows end once decided; counted in {@code scan}. */
    private static RunSinks.Outcomes<BronzeRow> bronzeOutcomes(RunSinks<BronzeRow> sinks, StagedRun scan) {
        return new RunSinks.Outcomes<>() {
            @Override
            public String[] values(BronzeRow row) {
                return row.values();
            }

            @Override
            public void silver(BronzeRow row) {
                scan.silverRows++;
            }

            @Override
            public void taken(BronzeRow row, RunSinks.Taken taken) throws IOException {
                QuarantineStagingWriter target = taken.condemned() ? sinks.condemned : sinks.quarantine;
                target.write(row.values(), row.line(), row.rawRecord(), taken.codes(), taken.description(), 1, List.of());
                if (taken.condemned()) {
                    scan.condemnedRows++;
                } else {
                    scan.quarantinedRows++;
                }
            }
        };
    }

    /** The separator a one-field header splits on into at least two contract columns, described; or null. */
    private static String otherSeparator(List<String> header) {
        if (header.size() != 1) {
            return null;
        }
        String only = header.get(0);
        for (char separator : new char[] {';', '\t', '|'}) {
            List<String> parts = List.of(only.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1));
            long known = parts.stream().filter(ContractV1.COLUMNS::contains).count();
            if (known >= 2) {
                return separator == '\t' ? "tab" : "'" + separator + "'";
            }
        }
        return null;
    }

    /**
     * The next record, or {@code null} at the end or on a file-level fault (then recorded in
     * {@code scan}). Store failures propagate.
     */
    private CsvRecord next(CloseableIterator<CsvRecord> records, StagedRun scan, BronzeInput input, long lastLine) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (RuntimeException e) {
            classifyReadFailure(e, scan, input, lastLine);
            return null;
        }
    }

    private void classifyReadFailure(RuntimeException failure, StagedRun scan, BronzeInput input, long lastLine) {
        String where = lastLine == 0 ? "at the start of the file" : "after line " + lastLine;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageException storage) {
                throw storage;
            }
            if (t instanceof BronzeInput.GzipFormatException gzip) {
                scan.reject(FileRejectionCode.CORRUPT_GZIP, "the gzip stream is corrupt or truncated " + where + ": "
                        + gzip.getMessage());
                return;
            }
            if (t instanceof BronzeInput.DecompressionLimitException limit) {
                scan.reject(FileRejectionCode.DECOMPRESSION_LIMIT, limit.getMessage());
                return;
            }
            if (t instanceof CharacterCodingException) {
                scan.reject(FileRejectionCode.NOT_UTF8, "the content is not valid UTF-8 " + where
                        + (input.gzip() ? " in the decompressed gzip stream" : "") + " (malformed byte sequence)");
                return;
            }
        }
        if (failure instanceof CsvParseException && failure.getCause() == null) {
            String message = failure.getMessage();
            if (message != null && message.contains("exceeds the max")) {
                scan.reject(FileRejectionCode.RECORD_TOO_LARGE, message + " (limit " + config.maxRecordChars()
                        + " characters; often an unclosed quote)");
            } else if (message != null && message.contains("maximum buffer size")) {
                // the CSV reader's own ceiling (16 Mi characters for one field) came before the field limit
                scan.reject(FileRejectionCode.RECORD_TOO_LARGE, "a single field " + where + " is longer than the CSV reader's "
                        + "buffer (16 Mi characters) and than the limit of " + config.maxRecordChars() + " characters: " + message);
            } else if (message != null && message.contains("maximum limit of") && message.contains("fields")) {
                scan.reject(FileRejectionCode.TOO_MANY_COLUMNS, message + "; the lake accepts at most " + MAX_HEADER_COLUMNS
                        + " columns");
            } else {
                scan.reject(FileRejectionCode.MALFORMED_CSV, message);
            }
            return;
        }
        throw new StorageException("Cannot read " + describeFile(input) + " " + where + ": " + failure, false, failure);
    }

    private static String checksumMismatch(FileLanded landed, StagedRun scan) {
        if (landed.sha256() != null && !landed.sha256().equalsIgnoreCase(scan.inputSha256)) {
            return "the Bronze bytes have SHA-256 " + scan.inputSha256 + " but ingest recorded " + landed.sha256();
        }
        if (landed.sizeBytes() > 0 && landed.sizeBytes() != scan.inputBytes) {
            return "the Bronze object has " + scan.inputBytes + " bytes but ingest recorded " + landed.sizeBytes();
        }
        return null;
    }

    private static String describeInput(BronzeInput input) {
        return input.gzip() ? "gzip, " + input.rawBytes() + " compressed bytes" : input.rawBytes() + " bytes";
    }

    /** Headers with more columns are rejected whole ({@link FileRejectionCode#TOO_MANY_COLUMNS}). */
    public static final int MAX_HEADER_COLUMNS = 1_000;
    /** Drift lists in events and records keep at most this many names, each at most {@value #DRIFT_NAME_CHARS} characters. */
    static final int DRIFT_NAMES_KEPT = 100;
    static final int DRIFT_NAME_CHARS = 128;

    /**
     * The header's drift, bounded so that it always fits in an SQS event (256 KiB) and a rejection
     * record: a header of 100,000 unknown columns, or of one column of a megabyte, is still described.
     */
    static RunValidated.Drift boundedDrift(HeaderMapping header) {
        return new RunValidated.Drift(bounded(header.unknownColumns()), bounded(header.missingColumns()));
    }

    private static List<String> bounded(List<String> names) {
        List<String> kept = new ArrayList<>(Math.min(names.size(), DRIFT_NAMES_KEPT + 1));
        for (String name : names.subList(0, Math.min(names.size(), DRIFT_NAMES_KEPT))) {
            kept.add(name.length() <= DRIFT_NAME_CHARS ? name : name.substring(0, DRIFT_NAME_CHARS) + "…(" + name.length() + " chars)");
        }
        if (names.size() > DRIFT_NAMES_KEPT) {
            kept.add("…and " + (names.size() - DRIFT_NAMES_KEPT) + " more");
        }
        return kept;
    }

    private static String describeFile(BronzeInput input) {
        return input.gzip() ? "the gzip Bronze file" : "the Bronze file";
    }


    // ---- reading a retried batch ------------------------------------------------------------------

    private StagedRun stageRetry(RetryDue due, RunId retryRunId, TransactionRules rules, Path staging) {
        StagedRun run = new StagedRun();
        Path batchFile = staging.resolve("batch.parquet");
        try {
            store.download(due.quarantine(), batchFile);
        } catch (ObjectNotFoundException e) {
            throw new InvalidEventException(InvalidEventException.Reason.MISSING_OBJECT, "retry-due of run " + retryRunId + " names the batch " + due.quarantine()
                    + " of run " + due.batchRunId() + ", which does not exist", e);
        }
        try (RunSinks<QuarantinedRow> sinks = new RunSinks<>(staging, retryRunId, due.ingestDate(), config,
                publishedRows.view(ContractV1.SCHEMA_VERSION, List.of()), "the same Bronze file",
                expectedRows(Files.size(batchFile)), RetryRows.BATCH_ROWS);
             QuarantineStagingWriter retried = new QuarantineStagingWriter(staging.resolve("retried_rows.parquet"),
                     retryRunId.value(), due.ingestDate(), config.parquet(), RETRIED_TABLE)) {
            try (InputStream in = Files.newInputStream(batchFile)) {
                run.inputSha256 = RunCommit.sha256(in);
            }
            run.inputBytes = Files.size(batchFile);
            RetryRows rows = new RetryRows(due, rules, sinks, retried, run);
            try {
                QuarantineRows.read(batchFile, row -> {
                    try {
                        rows.revalidate(row);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (IllegalArgumentException e) {
                throw new StorageException("The batch " + due.quarantine() + " is not a quarantine file of schema v1: "
                        + e.getMessage(), false, e);
            }
            rows.resolveDeferred();
            sinks.finishInto(run);
            run.retried = retried.finish();
            return run;
        } catch (IOException e) {
            throw new StorageException("Cannot re-validate the batch " + due.quarantine() + " into run " + retryRunId + " in "
                    + staging + ": " + e.getMessage(), false, e);
        }
    }

    // ---- committing -------------------------------------------------------------------------------

    private RunValidated commitRejection(FileLanded landed, RunId runId, StagedRun scan) {
        Location location = layout.fileRejection(landed.ingestDate(), runId);
        FileRejectionRecord rejection = new FileRejectionRecord(runId.value(), dataset(landed.dataset()), ContractV1.SCHEMA_VERSION,
                landed.ingestDate(), scan.rejection, scan.rejectionMessage, landed.bronze(), landed.sha256(), scan.rowsRead,
                scan.drift, clock.instant());
        commit.putDocument(location, rejection.toJson(), FileRejectionRecord::fromJson, rejection::sameContentAs,
                layout.validationRecord(runId), "file rejection");
        LOG.infof("Run %s: file rejected (%s): %s", runId, scan.rejection, scan.rejectionMessage);
        RunValidated.Counts counts = new RunValidated.Counts(0, 0, 0, 0);
        return new RunValidated(runId.value(), dataset(landed.dataset()), ContractV1.SCHEMA_VERSION, landed.runKind(), landed.ingestDate(),
                landed.bronze(), landed.sha256(), RunValidated.OUTCOME_FILE_REJECTED, counts, List.of(), null,
                new RunValidated.FileRejection(scan.rejection.name(), scan.rejectionMessage, location), scan.drift,
                landed.supersedes(), clock.instant());
    }


    // ---- plumbing ---------------------------------------------------------------------------------

    /** A well-formed file-landed this validator implements: contract v1 of the lake's dataset. */
    private static RunId checkEvent(FileLanded landed) {
        RunId runId = FileLanded.wellFormed(landed);
        if (!ContractV1.SCHEMA_VERSION.equals(landed.schemaVersion())) {
            throw new InvalidEventException("file-landed of run " + runId + " asks for schema version '" + landed.schemaVersion()
                    + "'; this validator implements " + ContractV1.SCHEMA_VERSION);
        }
        if (landed.dataset() != null && !LakeLayout.DATASET_PATH.equals(landed.dataset())) {
            throw new InvalidEventException("file-landed of run " + runId + " is for dataset '" + landed.dataset()
                    + "'; this validator handles " + LakeLayout.DATASET_PATH);
        }
        return runId;
    }

    /**
     * A well-formed retry-due ({@link RetryDue#wellFormed}) for this lake: its batch file where the layout
     * puts that run's batch, the lake's dataset, and condemnation only where the policy allows it.
     *
     * @throws InvalidEventException naming what is wrong
     */
    private RunId checkEvent(RetryDue due) {
        RunId retryRunId = RetryDue.wellFormed(due);
        RunId batchRunId = RunId.of(due.batchRunId());
        String of = "retry-due of batch " + batchRunId + " (retry run " + retryRunId + ")";
        Location expected = RetryDue.BATCH_QUARANTINE.equals(due.batchKind())
                ? layout.invalidRows(due.ingestDate(), batchRunId)
                : layout.condemnedRows(due.ingestDate(), batchRunId);
        if (!expected.equals(due.quarantine())) {
            throw new InvalidEventException(of + " names the batch file " + due.quarantine() + "; a " + due.batchKind()
                    + " batch of that run on " + due.ingestDate() + " is " + expected);
        }
        if (due.dataset() != null && !LakeLayout.DATASET_PATH.equals(due.dataset())) {
            throw new InvalidEventException(of + " is for dataset '" + due.dataset() + "'; this validator handles "
                    + LakeLayout.DATASET_PATH);
        }
        if (due.condemnOnFailure() && CondemnationPolicy.afterAttempts(due.attempt()).isEmpty()) {
            throw new InvalidEventException(of + " asks to condemn rows still invalid after attempt " + due.attempt()
                    + ", but the condemnation policy condemns only after " + CondemnationPolicy.MAX_ATTEMPTS + " attempts");
        }
        return retryRunId;
    }

    /**
     * A generous estimate of the rows in an input of {@code bytes} (16 bytes per row; gzip CSV has about
     * 20): it sizes the run's {@link dev.mortgagelake.validation.duplicate.SeenIdFilter}. Unknown size: 1M rows.
     */
    static long expectedRows(long bytes) {
        return bytes > 0 ? bytes / 16 + 1 : 1_000_000;
    }

    private static String dataset(String dataset) {
        return dataset == null ? LakeLayout.DATASET_PATH : dataset;
    }
}
