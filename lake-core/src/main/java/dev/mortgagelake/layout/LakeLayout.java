package dev.mortgagelake.layout;

import dev.mortgagelake.storage.Location;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Every key the lake writes, in one place:
 *
 * <pre>
 * bronze/mortgages/transactions/ingest_date=2026-01-21/run_id=R/&lt;file name&gt;
 * silver/mortgages/transactions/year=2026/month=01/schema_v=v1/run_id=R/{part-00000.parquet,manifest.json,_SUCCESS}
 * silver/mortgages/transactions/_table/schema_v=v1/{_LATEST.json,_versions/...}
 * quarantine/mortgages/transactions/ingest_date=D/run_id=R/invalid_rows.parquet
 * quarantine/mortgages/transactions/ingest_date=D/run_id=R/retried_rows.parquet       (lineage of a retry run's Silver rows)
 * quarantine/mortgages/transactions/condemned/ingest_date=D/run_id=R/condemned_rows.parquet
 * quarantine/_ledger/mortgages/transactions/{batches,condemned,transitions,requests,decisions}/...   (retry-service's ledger)
 * quarantine/_audit/mortgages/transactions/date=YYYY-MM-DD/...                          (append-only audit trail)
 * gold/finance/&lt;dataset&gt;/schema_v=v1/run_id=R/as_of_month=YYYY-MM/part-00000.parquet
 * gold/finance/&lt;dataset&gt;/schema_v=v1/{_LATEST.json,_versions/...}
 * </pre>
 *
 * Control documents live under prefixes starting with {@code _} so that SQL engines reading the
 * data prefixes (Hive-style partition discovery) skip them.
 */
public final class LakeLayout {

    public static final String DOMAIN = "mortgages";
    public static final String DATASET = "transactions";
    public static final String DATASET_PATH = DOMAIN + "/" + DATASET;

    public static final String SUCCESS_MARKER = "_SUCCESS";
    public static final String MANIFEST = "manifest.json";
    public static final String INVALID_ROWS = "invalid_rows.parquet";
    public static final String CONDEMNED_ROWS = "condemned_rows.parquet";
    public static final String RETRIED_ROWS = "retried_rows.parquet";
    public static final String LATEST_POINTER = "_LATEST.json";

    private final LakeBuckets buckets;

    public LakeLayout(LakeBuckets buckets) {
        this.buckets = buckets;
    }

    public LakeBuckets buckets() {
        return buckets;
    }

    // ---- Bronze ---------------------------------------------------------------------------

    /** Where a landed file is copied verbatim for {@code runId}. */
    public Location bronzeFile(LocalDate ingestDate, RunId runId, String fileName) {
        return new Location(buckets.bronze(), bronzeRunPrefix(ingestDate, runId) + fileName);
    }

    public String bronzeRunPrefix(LocalDate ingestDate, RunId runId) {
        return "bronze/" + DATASET_PATH + "/ingest_date=" + ingestDate + "/run_id=" + runId + "/";
    }

    /** The create-once claim of a file's content: at most one run per sha256. */
    public Location contentClaim(String sha256) {
        return new Location(buckets.bronze(), "bronze/_ingest/" + DATASET_PATH + "/content/sha256=" + sha256 + ".json");
    }

    /** Set once {@code file-landed} was emitted for the claimed run (crash recovery re-emits without it). */
    public Location contentEmitted(String sha256) {
        return new Location(buckets.bronze(), "bronze/_ingest/" + DATASET_PATH + "/content/sha256=" + sha256 + ".emitted");
    }

    /** A record of a landing whose content was already ingested (never silently ignored). */
    public Location duplicateLanding(String sha256, String landingFingerprint) {
        return new Location(buckets.bronze(),
                "bronze/_ingest/" + DATASET_PATH + "/duplicate-landings/sha256=" + sha256 + "/" + landingFingerprint + ".json");
    }

    /** Marks that a landing object (key + ETag) was handled, so the sweep skips it. */
    public Location landingHandled(String landingFingerprint) {
        return new Location(buckets.bronze(), "bronze/_ingest/" + DATASET_PATH + "/landings/" + landingFingerprint + ".json");
    }

    public String landingHandledPrefix() {
        return "bronze/_ingest/" + DATASET_PATH + "/landings/";
    }

    /** Every run's Bronze files of one ingest date: {@code bronze/mortgages/transactions/ingest_date=D/}. */
    public String bronzeDatePrefix(LocalDate ingestDate) {
        return "bronze/" + DATASET_PATH + "/ingest_date=" + ingestDate + "/";
    }

    /**
     * A backfill request record (create-once, never replaced): who asked, why, the range and the runs
     * it created. {@code bronze/_ingest/mortgages/transactions/backfills/<request id>.json}.
     */
    public Location backfillRequest(String requestId) {
        return new Location(buckets.bronze(), backfillRequestsPrefix() + requestId + ".json");
    }

    /** Set once every {@code file-landed} of a backfill request was sent. */
    public Location backfillEmitted(String requestId) {
        return new Location(buckets.bronze(), backfillRequestsPrefix() + requestId + ".emitted");
    }

    public String backfillRequestsPrefix() {
        return "bronze/_ingest/" + DATASET_PATH + "/backfills/";
    }

    /**
     * The record that backfill run {@code runId} reprocessed the content {@code sha256} (create-once):
     * a later backfill of the same content lists these to supersede every earlier run of it.
     */
    public Location contentBackfill(String sha256, RunId runId) {
        return new Location(buckets.bronze(), contentBackfillsPrefix(sha256) + "run_id=" + runId + ".json");
    }

    public String contentBackfillsPrefix(String sha256) {
        return "bronze/_ingest/" + DATASET_PATH + "/content/sha256=" + sha256 + "/backfills/";
    }

    // ---- Silver ---------------------------------------------------------------------------

    /** The run directory of one business-month partition. */
    public String silverPartitionPrefix(YearMonth month, String schemaVersion, RunId runId) {
        return String.format("silver/%s/year=%04d/month=%02d/schema_v=%s/run_id=%s/",
                DATASET_PATH, month.getYear(), month.getMonthValue(), schemaVersion, runId);
    }

    public Location silverPart(YearMonth month, String schemaVersion, RunId runId, int part) {
        return new Location(buckets.silver(), silverPartitionPrefix(month, schemaVersion, runId) + partFileName(part));
    }

    public Location silverManifest(YearMonth month, String schemaVersion, RunId runId) {
        return new Location(buckets.silver(), silverPartitionPrefix(month, schemaVersion, runId) + MANIFEST);
    }

    public Location silverSuccess(YearMonth month, String schemaVersion, RunId runId) {
        return new Location(buckets.silver(), silverPartitionPrefix(month, schemaVersion, runId) + SUCCESS_MARKER);
    }

    /** The run's validation record: written last, create-once; its presence means the run is validated. */
    public Location validationRecord(RunId runId) {
        return new Location(buckets.silver(), validationRecordsPrefix() + "run_id=" + runId + "/run-validated.json");
    }

    /** Where every run's validation record is (in the Silver bucket). */
    public String validationRecordsPrefix() {
        return "silver/_runs/" + DATASET_PATH + "/";
    }

    /**
     * One shard of the index of Silver rows, as one run wrote it: {@code
     * silver/_index/mortgages/transactions/schema_v=v1/rows/shard=NN/run_id=R.idx} (create-once). A
     * row counts as published only while its run is in the table's current snapshot
     * ({@link dev.mortgagelake.validation.duplicate.PublishedRowIndex}).
     */
    public Location rowIndexShard(String schemaVersion, int shard, RunId runId) {
        return new Location(buckets.silver(), rowIndexShardPrefix(schemaVersion, shard) + "run_id=" + runId + ".idx");
    }

    public String rowIndexShardPrefix(String schemaVersion, int shard) {
        return String.format("silver/_index/%s/schema_v=%s/rows/shard=%03d/", DATASET_PATH, schemaVersion, shard);
    }

    /** Root of the Silver table's control documents for one schema version. */
    public String silverTableRoot(String schemaVersion) {
        return "silver/" + DATASET_PATH + "/_table/schema_v=" + schemaVersion + "/";
    }

    /**
     * The Silver table's {@code current/} copy: the files of the newest version, by partition, as
     * {@code year=YYYY/month=MM/<run id>-<file name>} (see {@code CurrentLayout}). The table of the
     * first schema version ({@code v1}) owns {@code current/}; a later schema version gets
     * {@code current_v<N>/} beside it, so that SQL over one never reads the other.
     */
    public String silverCurrentPrefix(String schemaVersion) {
        return "silver/" + DATASET_PATH + "/" + ("v1".equals(schemaVersion) ? "current/" : "current_" + schemaVersion + "/");
    }

    // ---- Quarantine -------------------------------------------------------------------------

    public String quarantineRunPrefix(LocalDate ingestDate, RunId runId) {
        return "quarantine/" + DATASET_PATH + "/ingest_date=" + ingestDate + "/run_id=" + runId + "/";
    }

    public Location invalidRows(LocalDate ingestDate, RunId runId) {
        return new Location(buckets.quarantine(), quarantineRunPrefix(ingestDate, runId) + INVALID_ROWS);
    }

    /** A file-level rejection (the whole file could not be read as the contract): reason and Bronze key. */
    public Location fileRejection(LocalDate ingestDate, RunId runId) {
        return new Location(buckets.quarantine(), quarantineRunPrefix(ingestDate, runId) + "file_rejection.json");
    }

    /**
     * The lineage of the rows a retry run moved into Silver ({@code retried_rows.parquet}, quarantine
     * schema): each row's values, origin, {@code attempt_count} and {@code retry_history}.
     */
    public Location retriedRows(LocalDate ingestDate, RunId runId) {
        return new Location(buckets.quarantine(), quarantineRunPrefix(ingestDate, runId) + RETRIED_ROWS);
    }

    public Location condemnedRows(LocalDate ingestDate, RunId runId) {
        return new Location(buckets.quarantine(),
                "quarantine/" + DATASET_PATH + "/condemned/ingest_date=" + ingestDate + "/run_id=" + runId + "/" + CONDEMNED_ROWS);
    }

    /** The retry ledger entry of one quarantine batch (owned by retry-service). */
    public Location ledgerBatch(RunId runId) {
        return new Location(buckets.quarantine(), ledgerPrefix() + "batches/run_id=" + runId + ".json");
    }

    /** The ledger entry of the rows one run condemned (owned by retry-service). */
    public Location ledgerCondemned(RunId runId) {
        return new Location(buckets.quarantine(), ledgerPrefix() + "condemned/run_id=" + runId + ".json");
    }

    /**
     * Transition {@code sequence} (1, 2, ...) of a ledger batch ({@code kind} {@code batches} or
     * {@code condemned}): created once, so two writers cannot both append the same step.
     */
    public Location ledgerTransition(String kind, RunId runId, int sequence) {
        return new Location(buckets.quarantine(), ledgerTransitionsPrefix(kind, runId) + String.format("%06d", sequence) + ".json");
    }

    public String ledgerTransitionsPrefix(String kind, RunId runId) {
        return ledgerPrefix() + "transitions/" + kind + "/run_id=" + runId + "/";
    }

    /** An operator request (override or reprocessing) on a ledger batch. */
    public Location ledgerRequest(String requestId) {
        return new Location(buckets.quarantine(), ledgerRequestsPrefix() + requestId + ".json");
    }

    /** The one decision (approval or rejection) on a request: created once. */
    public Location ledgerRequestDecision(String requestId) {
        return new Location(buckets.quarantine(), ledgerPrefix() + "decisions/" + requestId + ".json");
    }

    public String ledgerRequestsPrefix() {
        return ledgerPrefix() + "requests/";
    }

    /** Root of the append-only audit trail: one create-once document per entry, by UTC date. */
    public String auditPrefix() {
        return "quarantine/_audit/" + DATASET_PATH + "/";
    }

    public String ledgerPrefix() {
        return "quarantine/_ledger/" + DATASET_PATH + "/";
    }

    // ---- Reference data -----------------------------------------------------------------------

    /**
     * The currency allow-list the quality team maintains: {@code reference/currencies/iso4217_allow_list.json}
     * in the Silver bucket (outside every data prefix, so no SQL table reads it).
     */
    public Location currencyAllowList() {
        return new Location(buckets.silver(), "reference/currencies/iso4217_allow_list.json");
    }

    /**
     * The transaction-type enumeration the quality team maintains (contract v1.1 {@code TransactionType}):
     * {@code reference/transaction-types/transaction_types.json} in the Silver bucket, beside the currency
     * allow-list.
     */
    public Location transactionTypes() {
        return new Location(buckets.silver(), "reference/transaction-types/transaction_types.json");
    }

    // ---- Gold -------------------------------------------------------------------------------

    /** Root of a Gold dataset for one schema version: its data ({@code run_id=...}) and its table documents. */
    public String goldTableRoot(String dataset, String schemaVersion) {
        return "gold/finance/" + dataset + "/schema_v=" + schemaVersion + "/";
    }

    /** A Gold dataset's {@code current/} copy: {@code as_of_month=YYYY-MM/<run id>-<file name>}. */
    public String goldCurrentPrefix(String dataset, String schemaVersion) {
        return goldTableRoot(dataset, schemaVersion) + "current/";
    }

    /** The directory of one Gold run: {@code gold/finance/<dataset>/schema_v=<v>/run_id=R/}. */
    public String goldRunPrefix(String dataset, String schemaVersion, RunId runId) {
        return goldTableRoot(dataset, schemaVersion) + "run_id=" + runId + "/";
    }

    /** The directory of one month of one Gold run: {@code .../run_id=R/as_of_month=YYYY-MM/}. */
    public String goldPartitionPrefix(String dataset, String schemaVersion, RunId runId, YearMonth asOfMonth) {
        return goldRunPrefix(dataset, schemaVersion, runId) + "as_of_month=" + asOfMonth + "/";
    }

    /** A Gold part file: {@code gold/finance/<dataset>/schema_v=<v>/run_id=R/as_of_month=YYYY-MM/part-NNNNN.parquet}. */
    public Location goldPart(String dataset, String schemaVersion, RunId runId, YearMonth asOfMonth, int part) {
        return new Location(buckets.gold(), goldPartitionPrefix(dataset, schemaVersion, runId, asOfMonth) + partFileName(part));
    }

    public static String partFileName(int part) {
        return String.format("part-%05d.parquet", part);
    }
}
