package dev.mortgagelake.validation;

import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.retry.CondemnationPolicy;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.RowVerdict;
import dev.mortgagelake.validation.contract.TransactionRules;
import dev.mortgagelake.validation.duplicate.DeferredRows;
import dev.mortgagelake.validation.duplicate.PublishedRowIndex;
import dev.mortgagelake.validation.duplicate.RowKeyTable;
import dev.mortgagelake.validation.duplicate.RowKeys;
import dev.mortgagelake.validation.duplicate.SeenIdFilter;
import dev.mortgagelake.validation.quarantine.QuarantineStagingWriter;
import dev.mortgagelake.validation.silver.PipelinedSilverWriter;
import dev.mortgagelake.validation.silver.SilverStagingWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where one run stages its classified rows (Silver parts, the quarantine and condemned files, the run's
 * published-row index entries), and the duplicate rules of every run (Bronze or retry).
 *
 * <h2>Duplicate detection in bounded memory</h2>
 * A valid row goes to Silver unless its {@code TransactionID} is taken, by an earlier row of the run
 * that went to Silver or by a published row; then {@link CondemnationPolicy} decides (same content:
 * condemned; other content: quarantined as {@code DUPLICATE_ID_CONFLICT}). The earlier row always
 * stays. Two phases keep memory independent of the number of rows:
 * <ol>
 *   <li>While the input is read, each valid row's id goes through a {@link SeenIdFilter} that already
 *       holds the published ids. "Certainly new" (nearly every row): the row goes to Silver at once.
 *       "Maybe seen": the caller defers it ({@link #deferLast}) to local files by index shard.</li>
 *   <li>{@link #resolveDeferred}, after the input: shard by shard, in batches, the ids of a batch of the
 *       shard's deferred rows are looked up exactly (128-bit id hashes) in the shard's published entries
 *       and in the run's own Silver entries of that shard (including those of earlier batches), both
 *       streamed; then the batch's rows are decided in input order.</li>
 * </ol>
 * A row that went to Silver in phase 1 is the first of its id in the input (its id was certainly not
 * seen before), so a deferred row's earlier Silver row is always the one phase 1 or 2 recorded first.
 * Memory: the filter (at most {@link ValidationConfig#maxSeenIdFilterBytes()}) plus one batch of
 * deferred rows (by default {@value #RESOLVE_BATCH_ROWS}), whatever the input's or the table's size.
 *
 * <p>Not thread-safe; one instance per run.
 *
 * @param <R> the caller's form of a deferred row (what it needs to write the row where it ends)
 */
final class RunSinks<R> implements Closeable {

    static final String CONDEMNED_TABLE = "mortgages/transactions/condemned";

    /** Deferred rows decided together by default (each batch streams its shard's entries once). */
    static final int RESOLVE_BATCH_ROWS = 65_536;

    /** What happens to the caller's deferred rows once decided. */
    interface Outcomes<R> {
        /** The row's contract values, in the order of {@link ContractV1#VALUE_COLUMNS}. */
        String[] values(R row);

        /** The row went to Silver (RunSinks wrote it and its index entry). */
        void silver(R row) throws IOException;

        /** The row's id was taken: the caller writes it where {@code taken} says. */
        void taken(R row, Taken taken) throws IOException;
    }

    final PipelinedSilverWriter silver;
    final QuarantineStagingWriter quarantine;
    final QuarantineStagingWriter condemned;
    final PublishedRowIndex.Staging index;
    private final PublishedRowIndex.View published;
    private final long expectedRows;
    private final long maxFilterBytes;
    /** Filled with the published ids on the first valid row, so a file rejected before it reads no index. */
    private SeenIdFilter seen;
    private final DeferredRows<R> deferred;
    private final String inputName;
    private final RowKeys.Keys keys = new RowKeys.Keys();
    private long lastH1;
    private long lastH2;
    private long lastFingerprint;
    private long lastLine;
    private long lastAmount;
    private long lastTimestamp;
    private boolean lastDeferrable;
    private boolean resolved;
    private final int resolveBatchRows;

    /**
     * @param published    the published rows the run is checked against
     * @param inputName    how messages name the run's input, after "line N of" (e.g. "this file")
     * @param expectedRows about how many rows the input holds (sizes the filter; more only defers more rows)
     * @param codec        stores the caller's form of deferred rows
     */
    RunSinks(Path staging, RunId runId, LocalDate ingestDate, ValidationConfig config, PublishedRowIndex.View published,
             String inputName, long expectedRows, DeferredRows.Codec<R> codec) {
        this(staging, runId, ingestDate, config, published, inputName, expectedRows, codec, RESOLVE_BATCH_ROWS);
    }

    /** @param resolveBatchRows deferred rows decided together (bounds the memory of {@link #resolveDeferred}) */
    RunSinks(Path staging, RunId runId, LocalDate ingestDate, ValidationConfig config, PublishedRowIndex.View published,
             String inputName, long expectedRows, DeferredRows.Codec<R> codec, int resolveBatchRows) {
        if (resolveBatchRows < 1) {
            throw new IllegalArgumentException("resolveBatchRows must be positive: " + resolveBatchRows);
        }
        this.resolveBatchRows = resolveBatchRows;
        this.published = published;
        this.inputName = inputName;
        this.quarantine = new QuarantineStagingWriter(staging.resolve("invalid_rows.parquet"), runId.value(), ingestDate,
                config.parquet());
        this.condemned = new QuarantineStagingWriter(staging.resolve("condemned_rows.parquet"), runId.value(), ingestDate,
                config.parquet(), CONDEMNED_TABLE);
        this.index = new PublishedRowIndex.Staging(staging.resolve("index"));
        this.deferred = new DeferredRows<>(staging.resolve("deferred"), codec);
        this.expectedRows = expectedRows;
        this.maxFilterBytes = config.maxSeenIdFilterBytes();
        this.silver = new PipelinedSilverWriter(new SilverStagingWriter(staging.resolve("silver"), runId.value(), config.parquet(),
                config.maxRowsPerPart()));
    }

    /**
     * Why a valid row does not go to Silver: condemned ({@link CondemnationPolicy#forDuplicate}) or
     * quarantined as an id conflict, with the codes and description to write.
     */
    record Taken(boolean condemned, List<String> codes, String description) {
    }

    /**
     * Phase 1 for one valid row: writes it to Silver (with its index entry) if its id is certainly new.
     *
     * @param line the row's line in its Bronze file (Silver lineage; messages of later duplicates)
     * @return true if the row went to Silver; false if the caller must pass it to {@link #deferLast}
     */
    boolean toSilverIfNew(String[] values, long line, RowVerdict verdict) throws IOException {
        String id = values[ContractV1.IDX_TRANSACTION_ID];
        keys.of(id, values[ContractV1.IDX_CUSTOMER_ID], verdict.amountUnscaled(), values[ContractV1.IDX_CURRENCY],
                verdict.timestampMicros(), verdict.transactionType());
        long h1 = keys.h1();
        long h2 = keys.h2();
        long fingerprint = keys.fingerprint();
        if (seen == null) {
            seen = SeenIdFilter.forExpectedIds(expectedRows + published.entryCount(), maxFilterBytes);
            published.addAllTo(seen);
        }
        if (!seen.addAndCheck(h1, h2)) {
            silver.write(id, values[ContractV1.IDX_CUSTOMER_ID], verdict.amountUnscaled(), values[ContractV1.IDX_CURRENCY],
                    verdict.timestampMicros(), line, verdict.transactionType());
            index.add(h1, h2, fingerprint, line);
            lastDeferrable = false;
            return true;
        }
        lastH1 = h1;
        lastH2 = h2;
        lastFingerprint = fingerprint;
        lastLine = line;
        lastAmount = verdict.amountUnscaled();
        lastTimestamp = verdict.timestampMicros();
        lastDeferrable = true;
        return false;
    }

    /** Defers the row {@link #toSilverIfNew} just refused, in the caller's form, to {@link #resolveDeferred}. */
    void deferLast(R row) throws IOException {
        if (!lastDeferrable) {
            throw new IllegalStateException("deferLast must follow a toSilverIfNew that returned false");
        }
        lastDeferrable = false;
        deferred.add(lastH1, lastH2, lastFingerprint, lastLine, lastAmount, lastTimestamp, row);
    }

    /**
     * Phase 2: decides every deferred row, shard by shard, in input order within the shard; a row
     * whose id is free goes to Silver, the others to {@code outcomes.taken}.
     */
    void resolveDeferred(Outcomes<R> outcomes) throws IOException {
        if (resolved) {
            throw new IllegalStateException("Deferred rows are already resolved");
        }
        resolved = true;
        for (int shard = 0; shard < PublishedRowIndex.SHARDS; shard++) {
            if (deferred.count(shard) > 0) {
                resolveShard(shard, outcomes);
            }
        }
    }

    private void resolveShard(int shard, Outcomes<R> outcomes) throws IOException {
        deferred.forEachBatch(shard, resolveBatchRows, batch -> resolveBatch(shard, batch, outcomes));
    }

    /**
     * Decides a batch of a shard's deferred rows, in input order. The run's staged entries are read
     * after the earlier batches were decided, so they include the rows those batches sent to Silver.
     */
    private void resolveBatch(int shard, List<DeferredRows.Row<R>> batch, Outcomes<R> outcomes) throws IOException {
        int capacity = batch.size();
        // The batch's candidate ids, numbered 0..n-1 (the table's ref), and what holds each id.
        RowKeyTable candidates = new RowKeyTable(capacity);
        long[] silverFingerprint = new long[capacity];
        long[] silverLine = new long[capacity];
        long[] publishedFingerprint = new long[capacity];
        long[] publishedRun = new long[capacity];
        Arrays.fill(silverLine, -1);
        Arrays.fill(publishedRun, -1);
        for (DeferredRows.Row<R> row : batch) {
            candidates.add(row.h1(), row.h2(), 0, candidates.size());
        }
        published.forEachEntry(shard, (h1, h2, fingerprint, run) -> {
            int slot = candidates.find(h1, h2);
            if (slot >= 0) {
                int k = (int) candidates.ref(slot);
                publishedFingerprint[k] = fingerprint;
                publishedRun[k] = run;
            }
        });
        index.forEachEntry(shard, (h1, h2, fingerprint, line) -> {
            int slot = candidates.find(h1, h2);
            if (slot >= 0) {
                int k = (int) candidates.ref(slot);
                silverFingerprint[k] = fingerprint;
                silverLine[k] = line;
            }
        });
        for (DeferredRows.Row<R> row : batch) {
            int k = (int) candidates.ref(candidates.find(row.h1(), row.h2()));
            String[] values = outcomes.values(row.row());
            String earlier;
            boolean sameContent;
            if (silverLine[k] >= 0) {
                earlier = "line " + silverLine[k] + " of " + inputName;
                sameContent = silverFingerprint[k] == row.fingerprint();
            } else if (publishedRun[k] >= 0) {
                earlier = "a row published by run " + published.runId(publishedRun[k]);
                sameContent = publishedFingerprint[k] == row.fingerprint();
            } else {
                silver.write(values[ContractV1.IDX_TRANSACTION_ID], values[ContractV1.IDX_CUSTOMER_ID], row.amountCents(),
                        values[ContractV1.IDX_CURRENCY], row.timestampMicros(), row.line(),
                        ContractV1.silverTransactionType(values.length > ContractV1.IDX_TRANSACTION_TYPE
                                ? values[ContractV1.IDX_TRANSACTION_TYPE] : null));
                index.add(row.h1(), row.h2(), row.fingerprint(), row.line());
                silverFingerprint[k] = row.fingerprint();
                silverLine[k] = row.line();
                outcomes.silver(row.row());
                continue;
            }
            outcomes.taken(row.row(), taken(values[ContractV1.IDX_TRANSACTION_ID], sameContent, earlier));
        }
    }

    private static Taken taken(String id, boolean sameContent, String earlier) {
        Optional<CondemnationPolicy.Condemnation> condemnation = CondemnationPolicy.forDuplicate(sameContent, earlier);
        if (condemnation.isPresent()) {
            return new Taken(true, List.of(condemnation.get().reason().name()), condemnation.get().describe());
        }
        RowVerdict conflict = TransactionRules.duplicateIdConflict(id, earlier);
        return new Taken(false, conflict.errorCodes(), conflict.describe());
    }

    /** Closes every staged file into {@code run}; every deferred row must have been resolved. */
    void finishInto(StagedRun run) throws IOException {
        if (!resolved && deferred.total() > 0) {
            throw new IllegalStateException(deferred.total() + " deferred rows were never resolved");
        }
        run.parts = silver.finish();
        run.quarantine = quarantine.finish();
        run.condemned = condemned.finish();
        run.indexShards = index.finish();
    }

    /** Abandons whatever is still open (the caller deletes the staging directory). */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Closeable open : new Closeable[] {deferred, index, condemned, quarantine, silver}) {
            try {
                open.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
