package dev.mortgagelake.validation;

import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.retry.CondemnationPolicy;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.RowVerdict;
import dev.mortgagelake.validation.contract.TransactionRules;
import dev.mortgagelake.validation.duplicate.PublishedRowIndex;
import dev.mortgagelake.validation.duplicate.RowKeyTable;
import dev.mortgagelake.validation.duplicate.RowKeys;
import dev.mortgagelake.validation.quarantine.QuarantineStagingWriter;
import dev.mortgagelake.validation.silver.PipelinedSilverWriter;
import dev.mortgagelake.validation.silver.SilverStagingWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Where one run stages its classified rows (Silver parts, the quarantine and condemned files, the run's
 * published-row index entries) and the duplicate state of the run: the rows published in Silver
 * (loaded shard by shard on first use) and the valid rows of this run so far (a compact table of id
 * hashes and content fingerprints). The same for a Bronze run and a retry run. Not thread-safe; one
 * instance per run.
 */
final class RunSinks implements Closeable {

    static final String CONDEMNED_TABLE = "mortgages/transactions/condemned";

    final PipelinedSilverWriter silver;
    final QuarantineStagingWriter quarantine;
    final QuarantineStagingWriter condemned;
    final PublishedRowIndex.Staging index;
    private final PublishedRowIndex.View published;
    private final RowKeyTable earlierRows = new RowKeyTable(1024);
    private final String inputName;
    long silverRows;

    /**
     * @param inputName how messages name the run's input, after "line N of" (e.g. "this file")
     */
    RunSinks(Path staging, RunId runId, LocalDate ingestDate, ValidationConfig config, PublishedRowIndex.View published,
             String inputName) {
        this.published = published;
        this.inputName = inputName;
        this.quarantine = new QuarantineStagingWriter(staging.resolve("invalid_rows.parquet"), runId.value(), ingestDate,
                config.parquet());
        this.condemned = new QuarantineStagingWriter(staging.resolve("condemned_rows.parquet"), runId.value(), ingestDate,
                config.parquet(), CONDEMNED_TABLE);
        this.index = new PublishedRowIndex.Staging(staging.resolve("index"));
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
     * A valid row goes to Silver (and to the run's index entries) unless its {@code TransactionID} is
     * taken, by an earlier row of the run or by a published row: then {@link CondemnationPolicy}
     * decides (same content: condemned; other content: quarantined as {@code DUPLICATE_ID_CONFLICT}).
     * The earlier row always stays. The caller writes a taken row where the decision says.
     *
     * @param line the row's line in its Bronze file (Silver lineage; messages of later duplicates)
     * @return null when the row was written to Silver, otherwise why not
     */
    Taken takeValid(String[] values, long line, RowVerdict verdict) throws IOException {
        String id = values[ContractV1.IDX_TRANSACTION_ID];
        long h1 = RowKeys.idHash1(id);
        long h2 = RowKeys.idHash2(id);
        long fingerprint = RowKeys.contentFingerprint(id, values[ContractV1.IDX_CUSTOMER_ID], verdict.amountUnscaled(),
                values[ContractV1.IDX_CURRENCY], verdict.timestampMicros());
        String earlier = null;
        boolean sameContent = false;
        int slot = earlierRows.find(h1, h2);
        if (slot >= 0) {
            earlier = "line " + earlierRows.ref(slot) + " of " + inputName;
            sameContent = earlierRows.fingerprint(slot) == fingerprint;
        } else {
            PublishedRowIndex.Match match = published.find(h1, h2);
            if (match != null) {
                earlier = "a row published by run " + match.runId();
                sameContent = match.fingerprint() == fingerprint;
            }
        }
        if (earlier == null) {
            silver.write(id, values[ContractV1.IDX_CUSTOMER_ID], verdict.amountUnscaled(), values[ContractV1.IDX_CURRENCY],
                    verdict.timestampMicros(), line);
            earlierRows.add(h1, h2, fingerprint, line);
            index.add(h1, h2, fingerprint);
            silverRows++;
            return null;
        }
        Optional<CondemnationPolicy.Condemnation> condemnation = CondemnationPolicy.forDuplicate(sameContent, earlier);
        if (condemnation.isPresent()) {
            return new Taken(true, List.of(condemnation.get().reason().name()), condemnation.get().describe());
        }
        RowVerdict conflict = TransactionRules.duplicateIdConflict(id, earlier);
        return new Taken(false, conflict.errorCodes(), conflict.describe());
    }

    /** Closes every staged file into {@code run}. */
    void finishInto(StagedRun run) throws IOException {
        run.parts = silver.finish();
        run.quarantine = quarantine.finish();
        run.condemned = condemned.finish();
        run.indexShards = index.finish();
    }

    /** Abandons whatever is still open (the caller deletes the staging directory). */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Closeable open : new Closeable[] {index, condemned, quarantine, silver}) {
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
