package dev.mortgagelake.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvRecordHandler;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.manifest.PartitionManifest;
import dev.mortgagelake.retry.CondemnationPolicy;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.CurrencyAllowList;
import dev.mortgagelake.validation.contract.HeaderMapping;
import dev.mortgagelake.validation.contract.RowVerdict;
import dev.mortgagelake.validation.contract.TransactionRules;
import dev.mortgagelake.validation.duplicate.PublishedRowIndex;
import dev.mortgagelake.validation.duplicate.RowKeyTable;
import dev.mortgagelake.validation.duplicate.RowKeys;
import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.validation.quarantine.QuarantineStagingWriter;
import dev.mortgagelake.validation.quarantine.StagedQuarantine;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import dev.mortgagelake.validation.silver.PipelinedSilverWriter;
import dev.mortgagelake.validation.silver.SilverStagingWriter;
import dev.mortgagelake.validation.silver.StagedPart;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Validates one Bronze run against contract v1: valid rows to Silver Parquet (one partition per
 * business month), invalid rows to the run's quarantine file, the whole file to a file rejection when
 * it cannot be read as the contract. Works on any {@link ObjectStore} (S3 in the service, a local
 * directory offline) and stages Parquet in a local work directory.
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
 *       part file and the quarantine file; then every partition's {@code manifest.json}; then every
 *       partition's {@code _SUCCESS}; last the run's validation record
 *       ({@link LakeLayout#validationRecord}), created once. A reader that trusts a partition only with
 *       its {@code _SUCCESS}, and a run only with its validation record, never sees partial output.</li>
 *   <li><b>Idempotent.</b> If the validation record exists, it is returned and nothing is read or
 *       written. After a crash at any point, validating again completes the same run: output of an
 *       earlier attempt with the same bytes is kept; uncommitted output with other bytes is replaced;
 *       committed output with other bytes raises {@link RunConflictException}. If a concurrent
 *       attempt wins the validation record, its record is returned.</li>
 *   <li><b>Bounded memory.</b> The file is streamed; at most one Parquet writer per partition (plus
 *       the quarantine writer) is open, each buffering at most one row group.</li>
 *   <li>Local staging files are deleted when the call returns or fails.</li>
 * </ul>
 * Thread-safe: runs may be validated concurrently (each call stages in its own directory).
 */
public final class RunValidator {

    private static final Logger LOG = Logger.getLogger(RunValidator.class);

    private static final String JSON = "application/json";
    private static final String MARKER_CONTENT_TYPE = "text/plain";
    private static final int READ_BUFFER = 64 * 1024;

    private final ObjectStore store;
    private final LakeLayout layout;
    private final Clock clock;
    private final Supplier<CurrencyAllowList> currencies;
    private final PublishedRowIndex publishedRows;
    private final Path workDir;
    private final ValidationConfig config;

    /**
     * @param store      where Bronze is read and Silver, quarantine and the validation record are written
     * @param layout     the lake's keys
     * @param clock      validation time (timestamp upper bound, {@code validated_at}, {@code created_at})
     * @param currencies the currency allow-list for this validator's runs
     * @param workDir    local directory for staging files (created if missing)
     * @param config     limits and tuning
     */
    public RunValidator(ObjectStore store, LakeLayout layout, Clock clock, CurrencyAllowList currencies, Path workDir,
                        ValidationConfig config) {
        this(store, layout, clock, constant(currencies), workDir, config);
    }

    /**
     * @param currencies asked once at the start of each run for the allow-list of that run (e.g.
     *                   {@link dev.mortgagelake.validation.reference.CurrencyReference#forRun}); a failure
     *                   propagates and nothing is validated
     */
    public RunValidator(ObjectStore store, LakeLayout layout, Clock clock, Supplier<CurrencyAllowList> currencies, Path workDir,
                        ValidationConfig config) {
        this.store = Objects.requireNonNull(store, "store");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.currencies = Objects.requireNonNull(currencies, "currencies");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.config = Objects.requireNonNull(config, "config");
        this.publishedRows = new PublishedRowIndex(store, layout);
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
        Optional<RunValidated> stored = readRecord(recordLocation);
        if (stored.isPresent()) {
            LOG.debugf("Run %s is already validated; returning the stored record", runId);
            return stored.get();
        }
        Path staging = createStagingDirectory(runId);
        try {
            RunValidated result = validateInto(landed, runId, staging);
            return commitRecord(recordLocation, result);
        } finally {
            deleteRecursively(staging);
        }
    }

    private RunValidated validateInto(FileLanded landed, RunId runId, Path staging) {
        Instant startedAt = clock.instant();
        CurrencyAllowList allowList = Objects.requireNonNull(currencies.get(), "the currency allow-list of the run");
        TransactionRules rules = new TransactionRules(allowList, startedAt.plus(config.maxFutureSkew()),
                "validation time " + startedAt + " + " + config.maxFutureSkew());
        Scan scan = scan(landed, runId, rules, staging);
        if (scan.rejection != null) {
            return commitRejection(landed, runId, scan);
        }
        return commitRows(landed, runId, scan);
    }

    // ---- reading ----------------------------------------------------------------------------------

    /** What reading the file produced: a rejection, or staged files and counts. */
    private static final class Scan {
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
        List<PublishedRowIndex.StagedShard> indexShards = List.of();
        String inputSha256;
        long inputBytes;

        void reject(FileRejectionCode code, String message) {
            rejection = code;
            rejectionMessage = message;
        }
    }

    private Scan scan(FileLanded landed, RunId runId, TransactionRules rules, Path staging) {
        Scan scan = new Scan();
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
             PipelinedSilverWriter silver = new PipelinedSilverWriter(new SilverStagingWriter(staging.resolve("silver"),
                     runId.value(), config.parquet(), config.maxRowsPerPart()));
             QuarantineStagingWriter quarantine = new QuarantineStagingWriter(staging.resolve("invalid_rows.parquet"),
                     runId.value(), landed.ingestDate(), config.parquet());
             QuarantineStagingWriter condemned = new QuarantineStagingWriter(staging.resolve("condemned_rows.parquet"),
                     runId.value(), landed.ingestDate(), config.parquet(), "mortgages/transactions/condemned");
             PublishedRowIndex.Staging index = new PublishedRowIndex.Staging(staging.resolve("index"));
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
            scan.drift = new RunValidated.Drift(header.unknownColumns(), header.missingColumns());
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
            Duplicates duplicates = new Duplicates(publishedRows.view(ContractV1.SCHEMA_VERSION, landed.supersedes()));
            readRows(records, header, rules, new Sinks(silver, quarantine, condemned, index, duplicates), scan, input);
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
            scan.parts = silver.finish();
            scan.quarantine = quarantine.finish();
            scan.condemned = condemned.finish();
            scan.indexShards = index.finish();
            return scan;
        } catch (IOException e) {
            throw new StorageException("Cannot stage the output of run " + runId + " in " + staging + ": " + e.getMessage(), false, e);
        }
    }

    /** Where classified rows go, and the duplicate state of the run. */
    private record Sinks(PipelinedSilverWriter silver, QuarantineStagingWriter quarantine, QuarantineStagingWriter condemned,
                         PublishedRowIndex.Staging index, Duplicates duplicates) {
    }

    /**
     * The rows already taken: those published in Silver (loaded shard by shard on first use) and the
     * valid rows of this file so far (a compact table of id hashes and content fingerprints).
     */
    private static final class Duplicates {
        final PublishedRowIndex.View published;
        final RowKeyTable inFile = new RowKeyTable(1024);
        final Map<String, Long> condemnedReasons = new java.util.TreeMap<>();

        Duplicates(PublishedRowIndex.View published) {
            this.published = published;
        }
    }

    private void readRows(CloseableIterator<CsvRecord> records, HeaderMapping header, TransactionRules rules, Sinks sinks,
                          Scan scan, BronzeInput input) throws IOException {
        int headerSize = header.header().size();
        int[] positions = header.positions();
        String[] values = new String[ContractV1.COLUMNS.size()];
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
                values[c] = positions[c] < fieldCount ? record.getField(positions[c]) : null;
            }
            RowVerdict verdict;
            if (recordChars > maxRowChars) {
                verdict = TransactionRules.rowTooLarge(recordChars, maxRowChars);
            } else if (fieldCount != headerSize) {
                verdict = TransactionRules.fieldCountMismatch(headerSize, fieldCount);
            } else {
                verdict = rules.check(values[ContractV1.IDX_TRANSACTION_ID], values[ContractV1.IDX_CUSTOMER_ID],
                        values[ContractV1.IDX_TRANSACTION_AMOUNT], values[ContractV1.IDX_CURRENCY],
                        values[ContractV1.IDX_TRANSACTION_TIMESTAMP]);
            }
            if (verdict.isValid()) {
                classifyValid(values, line, record, verdict, sinks, scan);
            } else {
                sinks.quarantine().write(values, line, record.getFields(), verdict);
                scan.quarantinedRows++;
            }
        }
    }

    /**
     * A valid row goes to Silver unless its {@code TransactionID} is taken, by an earlier row of the
     * file or by a published row: then {@link CondemnationPolicy} decides (same content: condemned;
     * other content: quarantined as {@code DUPLICATE_ID_CONFLICT}). The earlier row always stays.
     */
    private static void classifyValid(String[] values, long line, CsvRecord record, RowVerdict verdict, Sinks sinks, Scan scan)
            throws IOException {
        String id = values[ContractV1.IDX_TRANSACTION_ID];
        long h1 = RowKeys.idHash1(id);
        long h2 = RowKeys.idHash2(id);
        long fingerprint = RowKeys.contentFingerprint(id, values[ContractV1.IDX_CUSTOMER_ID], verdict.amountUnscaled(),
                values[ContractV1.IDX_CURRENCY], verdict.timestampMicros());
        Duplicates duplicates = sinks.duplicates();
        String earlier = null;
        boolean sameContent = false;
        int slot = duplicates.inFile.find(h1, h2);
        if (slot >= 0) {
            earlier = "line " + duplicates.inFile.ref(slot) + " of this file";
            sameContent = duplicates.inFile.fingerprint(slot) == fingerprint;
        } else {
            PublishedRowIndex.Match published = duplicates.published.find(h1, h2);
            if (published != null) {
                earlier = "a row published by run " + published.runId();
                sameContent = published.fingerprint() == fingerprint;
            }
        }
        if (earlier == null) {
            sinks.silver().write(id, values[ContractV1.IDX_CUSTOMER_ID], verdict.amountUnscaled(), values[ContractV1.IDX_CURRENCY],
                    verdict.timestampMicros(), line);
            duplicates.inFile.add(h1, h2, fingerprint, line);
            sinks.index().add(h1, h2, fingerprint);
            scan.silverRows++;
            return;
        }
        Optional<CondemnationPolicy.Condemnation> condemnation = CondemnationPolicy.forDuplicate(sameContent, earlier);
        if (condemnation.isPresent()) {
            String reason = condemnation.get().reason().name();
            sinks.condemned().write(values, line, record.getFields(), List.of(reason), condemnation.get().describe());
            duplicates.condemnedReasons.merge(reason, 1L, Long::sum);
            scan.condemnedRows++;
        } else {
            sinks.quarantine().write(values, line, record.getFields(), TransactionRules.duplicateIdConflict(id, earlier));
            scan.quarantinedRows++;
        }
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
    private CsvRecord next(CloseableIterator<CsvRecord> records, Scan scan, BronzeInput input, long lastLine) {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (RuntimeException e) {
            classifyReadFailure(e, scan, input, lastLine);
            return null;
        }
    }

    private void classifyReadFailure(RuntimeException failure, Scan scan, BronzeInput input, long lastLine) {
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
            } else {
                scan.reject(FileRejectionCode.MALFORMED_CSV, message);
            }
            return;
        }
        throw new StorageException("Cannot read " + describeFile(input) + " " + where + ": " + failure, false, failure);
    }

    private static String checksumMismatch(FileLanded landed, Scan scan) {
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

    private static String describeFile(BronzeInput input) {
        return input.gzip() ? "the gzip Bronze file" : "the Bronze file";
    }

    // ---- committing -------------------------------------------------------------------------------

    private RunValidated commitRejection(FileLanded landed, RunId runId, Scan scan) {
        Location location = layout.fileRejection(landed.ingestDate(), runId);
        FileRejectionRecord rejection = new FileRejectionRecord(runId.value(), dataset(landed), ContractV1.SCHEMA_VERSION,
                landed.ingestDate(), scan.rejection, scan.rejectionMessage, landed.bronze(), landed.sha256(), scan.rowsRead,
                scan.drift, clock.instant());
        putRejection(location, rejection, layout.validationRecord(runId));
        LOG.infof("Run %s: file rejected (%s): %s", runId, scan.rejection, scan.rejectionMessage);
        RunValidated.Counts counts = new RunValidated.Counts(0, 0, 0, 0);
        return new RunValidated(runId.value(), dataset(landed), ContractV1.SCHEMA_VERSION, landed.runKind(), landed.ingestDate(),
                landed.bronze(), landed.sha256(), RunValidated.OUTCOME_FILE_REJECTED, counts, List.of(), null,
                new RunValidated.FileRejection(scan.rejection.name(), scan.rejectionMessage, location), scan.drift,
                landed.supersedes(), clock.instant());
    }

    private RunValidated commitRows(FileLanded landed, RunId runId, Scan scan) {
        RunValidated.Counts counts = new RunValidated.Counts(scan.rowsRead, scan.silverRows, scan.quarantinedRows,
                scan.condemnedRows);
        long stagedSilver = scan.parts.stream().mapToLong(StagedPart::rows).sum();
        long stagedQuarantine = scan.quarantine == null ? 0 : scan.quarantine.rows();
        long stagedCondemned = scan.condemned == null ? 0 : scan.condemned.rows();
        long stagedIndex = scan.indexShards.stream().mapToLong(PublishedRowIndex.StagedShard::entries).sum();
        if (!counts.balanced() || stagedSilver != scan.silverRows || stagedQuarantine != scan.quarantinedRows
                || stagedCondemned != scan.condemnedRows || stagedIndex != scan.silverRows) {
            throw new IllegalStateException("Run " + runId + " does not balance: " + counts + ", staged Silver rows "
                    + stagedSilver + ", staged quarantine rows " + stagedQuarantine + ", staged condemned rows " + stagedCondemned
                    + ", staged index entries " + stagedIndex);
        }
        Location recordLocation = layout.validationRecord(runId);

        Map<YearMonth, List<StagedPart>> byMonth = new LinkedHashMap<>();
        for (StagedPart part : scan.parts) {
            byMonth.computeIfAbsent(part.month(), m -> new ArrayList<>()).add(part);
        }
        // 1. Data files.
        for (StagedPart part : scan.parts) {
            Location target = layout.silverPart(part.month(), SilverSchemaV1.SCHEMA_VERSION, runId, part.index());
            putData(target, part.file(), part.sha256(), part.sizeBytes(),
                    layout.silverSuccess(part.month(), SilverSchemaV1.SCHEMA_VERSION, runId));
        }
        RunValidated.QuarantineBatch batch = null;
        if (scan.quarantine != null) {
            Location target = layout.invalidRows(landed.ingestDate(), runId);
            putData(target, scan.quarantine.file(), scan.quarantine.sha256(), scan.quarantine.sizeBytes(), recordLocation);
            batch = new RunValidated.QuarantineBatch(target, scan.quarantine.rows(), scan.quarantine.errorCounts());
        }
        RunValidated.CondemnedBatch condemnedBatch = null;
        if (scan.condemned != null) {
            Location target = layout.condemnedRows(landed.ingestDate(), runId);
            putData(target, scan.condemned.file(), scan.condemned.sha256(), scan.condemned.sizeBytes(), recordLocation);
            condemnedBatch = new RunValidated.CondemnedBatch(target, scan.condemned.rows(), scan.condemned.errorCounts());
        }
        // The run's rows in the published-row index: they count once publish-service promotes the run.
        for (PublishedRowIndex.StagedShard shard : scan.indexShards) {
            putData(layout.rowIndexShard(ContractV1.SCHEMA_VERSION, shard.shard(), runId), shard.file(), shard.sha256(),
                    shard.sizeBytes(), recordLocation);
        }
        // 2. Manifests, once every data file is in place.
        Instant createdAt = clock.instant();
        List<RunValidated.Partition> partitions = new ArrayList<>();
        for (Map.Entry<YearMonth, List<StagedPart>> entry : byMonth.entrySet()) {
            YearMonth month = entry.getKey();
            List<PartitionManifest.FileEntry> files = new ArrayList<>();
            long rows = 0;
            for (StagedPart part : entry.getValue()) {
                Location key = layout.silverPart(month, SilverSchemaV1.SCHEMA_VERSION, runId, part.index());
                files.add(new PartitionManifest.FileEntry(key.key(), part.sizeBytes(), part.sha256(), part.rows()));
                rows += part.rows();
            }
            PartitionManifest manifest = new PartitionManifest(PartitionManifest.CURRENT_VERSION, dataset(landed), runId.value(),
                    landed.runKind(), SilverSchemaV1.SCHEMA_VERSION, month.toString(), rows, files,
                    new PartitionManifest.Input(landed.bronze(), scan.inputSha256, scan.inputBytes), counts, createdAt);
            Location manifestLocation = layout.silverManifest(month, SilverSchemaV1.SCHEMA_VERSION, runId);
            putManifest(manifestLocation, manifest, layout.silverSuccess(month, SilverSchemaV1.SCHEMA_VERSION, runId));
            partitions.add(new RunValidated.Partition(month.toString(), rows, manifestLocation));
        }
        // 3. _SUCCESS markers, once every manifest is in place.
        for (YearMonth month : byMonth.keySet()) {
            createMarker(layout.silverSuccess(month, SilverSchemaV1.SCHEMA_VERSION, runId));
        }
        LOG.infof("Run %s validated: rows_read=%d silver=%d quarantined=%d condemned=%d partitions=%d drift=%s", runId,
                counts.rowsRead(), counts.silver(), counts.quarantined(), counts.condemned(), partitions.size(),
                scan.drift.unknownColumns());
        return new RunValidated(runId.value(), dataset(landed), ContractV1.SCHEMA_VERSION, landed.runKind(), landed.ingestDate(),
                landed.bronze(), scan.inputSha256, RunValidated.OUTCOME_VALIDATED, counts, partitions, batch, null, scan.drift,
                landed.supersedes(), clock.instant(), condemnedBatch);
    }

    /**
     * Creates a data object. If it exists already (an earlier attempt of this run): same bytes, keep
     * it; other bytes and {@code commitMarker} absent, replace it (never trusted by any reader);
     * other bytes and {@code commitMarker} present, conflict.
     */
    private void putData(Location target, Path file, String sha256, long sizeBytes, Location commitMarker) {
        try {
            store.create(target, file, LakeParquet.CONTENT_TYPE);
        } catch (ObjectAlreadyExistsException e) {
            if (hasContent(target, sha256, sizeBytes)) {
                LOG.debugf("%s already holds the same bytes (earlier attempt); kept", target);
                return;
            }
            if (store.head(commitMarker).isPresent()) {
                throw new RunConflictException("Cannot validate: " + target + " was committed (" + commitMarker
                        + " exists) with other content than this validation produced (sha256 " + sha256 + ")");
            }
            LOG.warnf("%s holds output of an interrupted attempt with other content; replacing it (not committed)", target);
            store.replace(target, file, LakeParquet.CONTENT_TYPE);
        }
    }

    private void putManifest(Location target, PartitionManifest manifest, Location commitMarker) {
        putDocument(target, manifest.toJson(), PartitionManifest::fromJson, manifest::sameContentAs, commitMarker,
                "manifest");
    }

    private void putRejection(Location target, FileRejectionRecord rejection, Location commitMarker) {
        putDocument(target, rejection.toJson(), FileRejectionRecord::fromJson, rejection::sameContentAs, commitMarker,
                "file rejection");
    }

    /**
     * Creates a control document. If it exists already: same content (ignoring its creation time),
     * keep it; otherwise replace it unless {@code commitMarker} exists (then conflict). An unreadable
     * existing document counts as other content.
     */
    private <T> void putDocument(Location target, byte[] json, Function<byte[], T> parse, Predicate<T> sameContent,
                                 Location commitMarker, String what) {
        try {
            store.create(target, json, JSON);
        } catch (ObjectAlreadyExistsException e) {
            T existing;
            try {
                existing = parse.apply(store.read(target));
            } catch (IllegalArgumentException unreadable) {
                existing = null;
            }
            if (existing != null && sameContent.test(existing)) {
                return;
            }
            if (store.head(commitMarker).isPresent()) {
                throw new RunConflictException("Cannot validate: the committed " + what + " " + target
                        + " differs from what this validation produced");
            }
            LOG.warnf("%s holds a %s of an interrupted attempt with other content; replacing it (not committed)", target, what);
            store.replace(target, json, JSON);
        }
    }

    private void createMarker(Location marker) {
        try {
            store.create(marker, new byte[0], MARKER_CONTENT_TYPE);
        } catch (ObjectAlreadyExistsException e) {
            LOG.debugf("%s already exists (earlier attempt)", marker);
        }
    }

    private RunValidated commitRecord(Location recordLocation, RunValidated result) {
        byte[] json;
        try {
            json = EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode the validation record of run " + result.runId(), e);
        }
        try {
            store.create(recordLocation, json, JSON);
            return result;
        } catch (ObjectAlreadyExistsException e) {
            LOG.infof("Run %s was validated concurrently; returning the stored record", result.runId());
            return readRecord(recordLocation).orElseThrow(() -> new StorageException(
                    "The validation record " + recordLocation + " exists but cannot be read back", true));
        }
    }

    private Optional<RunValidated> readRecord(Location recordLocation) {
        byte[] bytes;
        try {
            bytes = store.read(recordLocation);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventCodec.mapper().readValue(bytes, RunValidated.class));
        } catch (IOException e) {
            throw new StorageException("The validation record " + recordLocation + " is not a readable run-validated document: "
                    + e.getMessage(), false, e);
        }
    }

    private boolean hasContent(Location target, String sha256, long sizeBytes) {
        if (store.head(target).map(o -> o.size() != sizeBytes).orElse(true)) {
            return false;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        try (InputStream in = new DigestInputStream(store.open(target), digest)) {
            byte[] buffer = new byte[READ_BUFFER];
            while (in.read(buffer) >= 0) {
                // Only the digest matters.
            }
        } catch (IOException e) {
            throw new StorageException("Cannot read " + target + ": " + e.getMessage(), true, e);
        }
        return HexFormat.of().formatHex(digest.digest()).equals(sha256);
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private static RunId checkEvent(FileLanded landed) {
        if (landed == null) {
            throw new InvalidEventException("file-landed payload is missing");
        }
        RunId runId;
        try {
            runId = RunId.of(landed.runId());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("file-landed has an invalid run_id: " + e.getMessage(), e);
        }
        if (landed.bronze() == null || landed.ingestDate() == null) {
            throw new InvalidEventException("file-landed of run " + runId + " lacks bronze or ingest_date");
        }
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

    private static String dataset(FileLanded landed) {
        return landed.dataset() == null ? LakeLayout.DATASET_PATH : landed.dataset();
    }

    private Path createStagingDirectory(RunId runId) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, "validate-" + runId.value() + "-");
        } catch (IOException e) {
            throw new StorageException("Cannot create a staging directory in " + workDir + ": " + e.getMessage(), false, e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf(e, "Cannot delete the staging directory %s", dir);
        }
    }
}
