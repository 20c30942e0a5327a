package dev.mortgagelake.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.gold.GoldPublisher;
import dev.mortgagelake.gold.GoldRefresh;
import dev.mortgagelake.iceberg.IcebergCatalogProperties;
import dev.mortgagelake.iceberg.IcebergCatalogTables;
import dev.mortgagelake.iceberg.LakeIcebergTables;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.local.LakeEndpoints;
import dev.mortgagelake.local.SilverExactlyOnce;
import dev.mortgagelake.manifest.PartitionManifest;
import dev.mortgagelake.parquet.StoredParquetReader;
import dev.mortgagelake.publish.current.CurrentLayout;
import dev.mortgagelake.publish.current.CurrentMirror;
import dev.mortgagelake.publish.table.CatalogSnapshot;
import dev.mortgagelake.publish.table.CatalogTable;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.retry.BackoffSchedule;
import dev.mortgagelake.retry.LakeConservation;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The invariants of a quiet lake, each with a count of violations and a few examples (read-only; it
 * reads the lake's objects directly, not through the services):
 * <ul>
 *   <li>{@code lake_quiet}: the lake reached quiet (nothing queued, in flight or delayed; no batch
 *       waiting for its retry; every pointer on its newest version) before the audit;</li>
 *   <li>{@code rows_conserved}: per run {@code rows_read = silver + quarantined + condemned}, lake-wide
 *       rows in = Silver + pending quarantine + condemned ({@link LakeConservation}), and every run read
 *       from Bronze read exactly the rows of the file it was generated as;</li>
 *   <li>{@code silver_transaction_ids_unique}: no TransactionID twice in any published Silver version;</li>
 *   <li>{@code silver_none_lost}: the newest Silver version holds exactly the TransactionIDs that must be
 *       there (missing and unexpected ids are violations);</li>
 *   <li>{@code snapshots_complete}: every version of every table (Silver, each Gold dataset): each data file
 *       exists with the recorded size, SHA-256 and row count; Silver files have their partition's
 *       {@code _SUCCESS} and a {@code manifest.json} that lists them alike; the summary's totals agree;</li>
 *   <li>{@code latest_names_newest}: each table's {@code _LATEST.json} names its newest version;</li>
 *   <li>{@code current_equals_latest}: each table's {@code current/} holds exactly the newest version's files;</li>
 *   <li>{@code iceberg_follows}: each Iceberg table has one snapshot per lake version, its newest holds the
 *       newest version's data files, and {@code _LATEST.json} names it;</li>
 *   <li>{@code gold_equals_recomputation}: each Gold dataset is computed from the newest Silver version and
 *       equals an independent recomputation from that version's rows (counts, sums, running balances);</li>
 *   <li>{@code dead_letters_explained}: every message in a dead-letter queue is listed with why it is there.</li>
 * </ul>
 */
public final class LakeAudit {

    private static final ObjectMapper JSON = EventCodec.newMapper();
    private static final int EXAMPLES = 10;

    private final ObjectStore store;
    private final LakeLayout layout;
    private final SqsClient sqs;
    private final LakeEndpoints endpoints;
    private final Path logs;
    private final StoredParquetReader parquet;
    /** Rows of each Silver data file read so far (files are immutable). */
    private final Map<String, List<SilverRow>> silverRows = new HashMap<>();
    private final Set<String> verified = new HashSet<>();

    public LakeAudit(ObjectStore store, LakeLayout layout, SqsClient sqs, LakeEndpoints endpoints, Path logs, Path workDir) {
        this.store = store;
        this.layout = layout;
        this.sqs = sqs;
        this.endpoints = endpoints;
        this.logs = logs;
        this.parquet = new StoredParquetReader(store, workDir);
    }

    record SilverRow(String id, String customer, long cents, String currency, long micros) {
    }

    /** One invariant's outcome. */
    static final class Invariant {
        final String name;
        long violations;
        final List<String> examples = new ArrayList<>();

        Invariant(String name) {
            this.name = name;
        }

        void violation(String example) {
            violations++;
            if (examples.size() < EXAMPLES) {
                examples.add(example);
            }
        }

        ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode();
            node.put("name", name);
            node.put("violations", violations);
            ArrayNode list = node.putArray("examples");
            examples.forEach(list::add);
            return node;
        }
    }

    /**
     * Audits the lake.
     *
     * @param expectedIds the TransactionIDs the newest Silver version must hold, exactly
     * @param rowsByName  the rows of each landed file, by file name
     * @param quiet       what the quiet check saw last ({@code quiet}: Boolean)
     * @return {@code invariants}, {@code dead_letters}, {@code lake} (figures) and {@code ok}
     */
    public ObjectNode run(Set<String> expectedIds, Map<String, Long> rowsByName, Map<String, Object> quiet) {
        ObjectNode out = JSON.createObjectNode();
        List<Invariant> invariants = new ArrayList<>();
        ObjectNode lake = JSON.createObjectNode();

        Invariant quietness = new Invariant("lake_quiet");
        if (!Boolean.TRUE.equals(quiet.get("quiet"))) {
            quietness.violation("the lake was not quiet when the audit began: " + quiet);
        }
        invariants.add(quietness);
        invariants.add(guard("rows_conserved", inv -> conservation(inv, rowsByName, lake)));
        TableLocation silverTable = GoldPublisher.silverTable(layout);
        TableVersionLog silverLog = new TableVersionLog(store, silverTable);
        invariants.add(guard("silver_transaction_ids_unique", inv -> uniqueIds(inv, silverLog, lake)));
        invariants.add(guard("silver_none_lost", inv -> noneLost(inv, silverLog, expectedIds, lake)));
        invariants.add(guard("snapshots_complete", this::complete));
        invariants.add(guard("latest_names_newest", inv -> pointerLag(store, layout).forEach(inv::violation)));
        invariants.add(guard("current_equals_latest", this::currentEqualsLatest));
        invariants.add(guard("iceberg_follows", this::icebergFollows));
        invariants.add(guard("gold_equals_recomputation", inv -> gold(inv, silverLog)));
        ArrayNode deadLetters = JSON.createArrayNode();
        invariants.add(guard("dead_letters_explained", inv -> deadLetters(inv, deadLetters)));

        ArrayNode list = out.putArray("invariants");
        long total = 0;
        for (Invariant invariant : invariants) {
            list.add(invariant.toJson());
            total += invariant.violations;
        }
        out.set("dead_letters", deadLetters);
        out.set("lake", lake);
        out.put("violations", total);
        out.put("ok", total == 0);
        return out;
    }

    private interface Check {
        void run(Invariant invariant) throws Exception;
    }

    /** Runs a check; a check that cannot finish (an unreadable object) is itself a violation. */
    private static Invariant guard(String name, Check check) {
        Invariant invariant = new Invariant(name);
        try {
            check.run(invariant);
        } catch (Exception | AssertionError e) {
            invariant.violation("the check could not finish: " + e);
        }
        return invariant;
    }

    // ---- rows ------------------------------------------------------------------------------------

    private void conservation(Invariant inv, Map<String, Long> rowsByName, ObjectNode lake) throws IOException {
        LakeConservation.Report report = new LakeConservation(store, layout,
                new QuarantineLedger(store, layout, BackoffSchedule.productionDefault())).check();
        report.violations().forEach(inv::violation);
        ObjectNode rows = lake.putObject("rows");
        rows.put("runs", report.runs());
        rows.put("retry_runs", report.retryRuns());
        rows.put("files_rejected", report.filesRejected());
        rows.put("rows_in", report.rowsEntered());
        rows.put("silver", report.silver());
        rows.put("quarantine_pending", report.quarantinePending());
        rows.put("condemned", report.condemned());
        Map<String, Integer> ingestRuns = new TreeMap<>();
        for (StoredObject object : store.list(layout.buckets().silver(), layout.validationRecordsPrefix())) {
            if (!object.location().key().endsWith("/run-validated.json")) {
                continue;
            }
            RunValidated run = JSON.readValue(store.read(object.location()), RunValidated.class);
            if (run.retry() != null) {
                continue;
            }
            String key = run.bronze().key();
            String name = key.substring(key.lastIndexOf('/') + 1);
            Long generated = rowsByName.get(name);
            if (generated == null) {
                inv.violation("run " + run.runId() + " read " + key + ", which this run never landed");
            } else if (generated != run.counts().rowsRead()) {
                inv.violation("run " + run.runId() + " read " + run.counts().rowsRead() + " rows of " + name + ", which has " + generated);
            }
            if ("INGEST".equals(run.runKind())) {
                ingestRuns.merge(name, 1, Integer::sum);
            }
        }
        rowsByName.keySet().forEach(name -> {
            int runs = ingestRuns.getOrDefault(name, 0);
            if (runs != 1) {
                inv.violation(name + " was ingested as " + runs + " run(s), not exactly one");
            }
        });
        rows.put("ingest_runs", ingestRuns.values().stream().mapToInt(Integer::intValue).sum());
    }

    // ---- Silver ids ------------------------------------------------------------------------------

    private void uniqueIds(Invariant inv, TableVersionLog log, ObjectNode lake) {
        List<Long> versions = log.versions();
        lake.put("silver_versions", versions.size());
        for (long version : versions) {
            SilverExactlyOnce.duplicateIds(log.read(version), this::idsOf, inv::violation);
        }
    }

    private void noneLost(Invariant inv, TableVersionLog log, Set<String> expected, ObjectNode lake) {
        TableSnapshot latest = log.current();
        Set<String> present = SilverExactlyOnce.duplicateIds(latest, this::idsOf, duplicate -> { });
        lake.put("silver_version", latest.version());
        lake.put("silver_ids_newest_version", present.size());
        lake.put("silver_ids_expected", expected.size());
        SilverExactlyOnce.lostAndUnexpected(latest.version(), expected, present, inv::violation);
    }

    private List<String> idsOf(DataFile file) {
        return silverRows(file).stream().map(SilverRow::id).toList();
    }

    private List<SilverRow> silverRows(DataFile file) {
        return silverRows.computeIfAbsent(file.key(), key -> {
            List<SilverRow> rows = new ArrayList<>();
            parquet.read(new Location(layout.buckets().silver(), key), file.sizeBytes(), null, r -> rows.add(new SilverRow(
                    r.get(SilverSchemaV1.TRANSACTION_ID).toString(), r.get(SilverSchemaV1.CUSTOMER_ID).toString(),
                    unscaled(r.get(SilverSchemaV1.TRANSACTION_AMOUNT)), r.get(SilverSchemaV1.CURRENCY).toString(),
                    (Long) r.get(SilverSchemaV1.TRANSACTION_TIMESTAMP))));
            return rows;
        });
    }

    // ---- completeness ----------------------------------------------------------------------------

    private Map<String, TableLocation> tables() {
        Map<String, TableLocation> tables = new LinkedHashMap<>();
        tables.put("silver", GoldPublisher.silverTable(layout));
        for (GoldDataset dataset : GoldDataset.values()) {
            tables.put("gold/" + dataset.tableName(), GoldPublisher.goldTable(layout, dataset));
        }
        return tables;
    }

    private void complete(Invariant inv) throws IOException {
        for (Map.Entry<String, TableLocation> table : tables().entrySet()) {
            TableVersionLog log = new TableVersionLog(store, table.getValue());
            boolean silver = table.getKey().equals("silver");
            for (long version : log.versions()) {
                TableSnapshot snapshot = log.read(version);
                long rows = 0;
                long count = 0;
                for (DataFile file : files(snapshot)) {
                    rows += file.rows();
                    count++;
                    verify(inv, table.getKey(), version, table.getValue().bucket(), file, silver);
                }
                if (snapshot.summary() != null && (snapshot.summary().totalRows() != rows || snapshot.summary().totalFiles() != count)) {
                    inv.violation(table.getKey() + " version " + version + ": summary says " + snapshot.summary().totalRows() + " rows in "
                            + snapshot.summary().totalFiles() + " files, its files hold " + rows + " in " + count);
                }
            }
        }
    }

    private void verify(Invariant inv, String table, long version, String bucket, DataFile file, boolean silver) throws IOException {
        if (!verified.add(bucket + "/" + file.key())) {
            return;
        }
        Location location = new Location(bucket, file.key());
        Optional<StoredObject> head = store.head(location);
        if (head.isEmpty()) {
            inv.violation(table + " version " + version + ": data file " + file.key() + " does not exist");
            return;
        }
        if (head.get().size() != file.sizeBytes()) {
            inv.violation(table + " version " + version + ": " + file.key() + " has " + head.get().size() + " bytes, recorded "
                    + file.sizeBytes());
            return;
        }
        byte[] bytes = store.read(location);
        String sha = sha256(bytes);
        if (!sha.equals(file.sha256())) {
            inv.violation(table + " version " + version + ": " + file.key() + " has SHA-256 " + sha + ", recorded " + file.sha256());
        }
        long rows = silver ? silverRows(file).size() : parquet.read(location, file.sizeBytes(), null, r -> { });
        if (rows != file.rows()) {
            inv.violation(table + " version " + version + ": " + file.key() + " holds " + rows + " rows, recorded " + file.rows());
        }
        if (silver) {
            String dir = file.key().substring(0, file.key().lastIndexOf('/') + 1);
            if (store.head(new Location(bucket, dir + "_SUCCESS")).isEmpty()) {
                inv.violation(table + " version " + version + ": " + dir + " has no _SUCCESS");
            }
            Location manifestLocation = new Location(bucket, dir + "manifest.json");
            if (store.head(manifestLocation).isEmpty()) {
                inv.violation(table + " version " + version + ": " + dir + " has no manifest.json");
                return;
            }
            PartitionManifest manifest = PartitionManifest.fromJson(store.read(manifestLocation));
            Optional<PartitionManifest.FileEntry> entry = manifest.files().stream().filter(f -> f.key().equals(file.key())).findFirst();
            if (entry.isEmpty()) {
                inv.violation(table + " version " + version + ": the manifest of " + dir + " does not list " + file.key());
            } else if (entry.get().sizeBytes() != file.sizeBytes() || !entry.get().sha256().equals(file.sha256())
                    || entry.get().rows() != file.rows()) {
                inv.violation(table + " version " + version + ": the manifest of " + dir + " records " + entry.get() + " for " + file);
            }
        }
    }

    // ---- pointers, current/ ----------------------------------------------------------------------

    /**
     * The tables whose {@code _LATEST.json} does not name their newest version, and Gold computed from
     * another Silver version than the newest (empty when every pointer is where it must be).
     */
    public static List<String> pointerLag(ObjectStore store, LakeLayout layout) {
        List<String> lag = new ArrayList<>();
        long silverNewest = new TableVersionLog(store, GoldPublisher.silverTable(layout)).latestVersion();
        Map<String, TableLocation> tables = new LinkedHashMap<>();
        tables.put("silver", GoldPublisher.silverTable(layout));
        for (GoldDataset dataset : GoldDataset.values()) {
            tables.put("gold/" + dataset.tableName(), GoldPublisher.goldTable(layout, dataset));
        }
        for (Map.Entry<String, TableLocation> table : tables.entrySet()) {
            TableVersionLog log = new TableVersionLog(store, table.getValue());
            long newest = log.latestVersion();
            if (newest == 0) {
                if (silverNewest > 0) {
                    lag.add(table.getKey() + " has no version while Silver has " + silverNewest);
                }
                continue;
            }
            Location pointer = table.getValue().latestPointer();
            if (store.head(pointer).isEmpty()) {
                lag.add(table.getKey() + ": no _LATEST.json (newest version " + newest + ")");
                continue;
            }
            LatestPointer latest;
            try {
                latest = JSON.readValue(store.read(pointer), LatestPointer.class);
            } catch (IOException e) {
                lag.add(table.getKey() + ": unreadable _LATEST.json: " + e.getMessage());
                continue;
            }
            if (latest.tableVersion() != newest || !latest.snapshot().equals(table.getValue().version(newest).key())) {
                lag.add(table.getKey() + ": _LATEST.json names version " + latest.tableVersion() + " (" + latest.snapshot()
                        + "), the newest is " + newest);
            }
            if (!table.getKey().equals("silver")) {
                TableSnapshot gold = log.read(newest);
                long source = gold.source() == null ? -1 : gold.source().version();
                if (source != silverNewest) {
                    lag.add(table.getKey() + " version " + newest + " was computed from Silver version " + source + ", the newest is "
                            + silverNewest);
                }
            }
        }
        return lag;
    }

    private void currentEqualsLatest(Invariant inv) {
        Map<String, CurrentLayout> layouts = new LinkedHashMap<>();
        layouts.put("silver", CurrentLayout.yearMonth(layout.buckets().silver(), layout.silverCurrentPrefix(SilverSchemaV1.SCHEMA_VERSION)));
        for (GoldDataset dataset : GoldDataset.values()) {
            layouts.put("gold/" + dataset.tableName(), GoldRefresh.currentLayout(layout, dataset));
        }
        Map<String, TableLocation> tables = tables();
        for (Map.Entry<String, CurrentLayout> entry : layouts.entrySet()) {
            TableSnapshot latest = new TableVersionLog(store, tables.get(entry.getKey())).current();
            CurrentMirror mirror = new CurrentMirror(store, entry.getValue());
            if (mirror.matches(latest)) {
                continue;
            }
            Map<Location, DataFile> expected = mirror.expected(latest);
            Set<Location> present = new HashSet<>();
            store.listing(entry.getValue().bucket(), entry.getValue().prefix()).forEach(o -> present.add(o.location()));
            expected.keySet().stream().filter(l -> !present.contains(l))
                    .forEach(l -> inv.violation(entry.getKey() + " current/ lacks " + l.key() + " of version " + latest.version()));
            present.stream().filter(l -> !expected.containsKey(l))
                    .forEach(l -> inv.violation(entry.getKey() + " current/ holds " + l.key() + ", not in version " + latest.version()));
            if (expected.keySet().equals(present)) {
                inv.violation(entry.getKey() + " current/ has the names of version " + latest.version() + " but other contents");
            }
        }
    }

    // ---- Iceberg ---------------------------------------------------------------------------------

    private void icebergFollows(Invariant inv) throws IOException {
        LakeEndpoints.IcebergCatalog catalog = endpoints.iceberg();
        try (IcebergCatalogTables tables = IcebergCatalogTables.open(IcebergCatalogProperties.LOCAL_CATALOG, catalog.properties(), layout, catalog.namespace())) {
            Map<String, TableLocation> lakeTables = tables();
            for (Map.Entry<String, TableLocation> entry : lakeTables.entrySet()) {
                boolean silver = entry.getKey().equals("silver");
                GoldDataset dataset = silver ? null : GoldDataset.valueOf(entry.getKey().substring(5).toUpperCase(java.util.Locale.ROOT));
                CatalogTable follower = silver ? tables.silver(SilverSchemaV1.SCHEMA_VERSION) : tables.gold(dataset);
                String name = silver ? LakeIcebergTables.silverTableName(SilverSchemaV1.SCHEMA_VERSION) : LakeIcebergTables.goldTableName(dataset);
                TableVersionLog log = new TableVersionLog(store, entry.getValue());
                List<Long> versions = log.versions();
                if (versions.isEmpty()) {
                    continue;
                }
                Set<Long> snapshotIds = new HashSet<>();
                for (long version : versions) {
                    Optional<CatalogSnapshot> snapshot = follower.snapshotOf(version);
                    if (snapshot.isEmpty()) {
                        inv.violation("Iceberg " + name + " has no snapshot of lake version " + version);
                    } else if (!snapshotIds.add(snapshot.get().snapshotId())) {
                        inv.violation("Iceberg " + name + ": snapshot " + snapshot.get().snapshotId() + " holds two lake versions");
                    }
                }
                long newest = versions.get(versions.size() - 1);
                Optional<CatalogSnapshot> newestSnapshot = follower.snapshotOf(newest);
                if (newestSnapshot.isEmpty()) {
                    continue;
                }
                Table table = tables.catalog().loadTable(TableIdentifier.of(catalog.namespace(), name));
                Set<String> icebergFiles = new TreeSet<>();
                try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(newestSnapshot.get().snapshotId()).planFiles()) {
                    tasks.forEach(task -> icebergFiles.add(task.file().location()));
                }
                Set<String> lakeFiles = new TreeSet<>();
                files(log.read(newest)).forEach(f -> lakeFiles.add("s3://" + entry.getValue().bucket() + "/" + f.key()));
                if (!icebergFiles.equals(lakeFiles)) {
                    Set<String> missing = new TreeSet<>(lakeFiles);
                    missing.removeAll(icebergFiles);
                    Set<String> extra = new TreeSet<>(icebergFiles);
                    extra.removeAll(lakeFiles);
                    inv.violation("Iceberg " + name + " snapshot of version " + newest + " lacks " + missing + " and adds " + extra);
                }
                LatestPointer pointer = JSON.readValue(store.read(entry.getValue().latestPointer()), LatestPointer.class);
                if (!Objects.equals(pointer.icebergSnapshotId(), newestSnapshot.get().snapshotId())) {
                    inv.violation(entry.getKey() + " _LATEST.json names Iceberg snapshot " + pointer.icebergSnapshotId() + ", version "
                            + newest + " is snapshot " + newestSnapshot.get().snapshotId());
                }
            }
        }
    }

    // ---- Gold ------------------------------------------------------------------------------------

    /** Per (month, currency): count and sum; per (account, currency, month): count and sum; running balances. */
    private void gold(Invariant inv, TableVersionLog silverLog) {
        long silverNewest = silverLog.latestVersion();
        if (silverNewest == 0) {
            return;
        }
        TableSnapshot silver = silverLog.read(silverNewest);
        Map<String, long[]> monthCurrency = new TreeMap<>();      // month|currency -> count, sum
        Map<String, long[]> accountMonth = new TreeMap<>();       // account|currency|month -> count, sum
        TreeSet<YearMonth> months = new TreeSet<>();
        for (DataFile file : files(silver)) {
            for (SilverRow row : silverRows(file)) {
                YearMonth month = YearMonth.from(Instant.ofEpochSecond(Math.floorDiv(row.micros(), 1_000_000L)).atZone(ZoneOffset.UTC));
                months.add(month);
                add(monthCurrency, month + "|" + row.currency(), row.cents());
                add(accountMonth, row.customer() + "|" + row.currency() + "|" + month, row.cents());
            }
        }
        // running balance of each account and currency at the end of each month it has a Gold row for
        Map<String, TreeMap<YearMonth, Long>> netByAccount = new HashMap<>();
        accountMonth.forEach((key, v) -> {
            String[] parts = key.split("\\|");
            netByAccount.computeIfAbsent(parts[0] + "|" + parts[1], k -> new TreeMap<>()).put(YearMonth.parse(parts[2]), v[1]);
        });
        Map<String, Long> balanceTotal = new HashMap<>(); // month|currency -> sum of closing balances
        for (YearMonth month : months) {
            netByAccount.forEach((account, nets) -> {
                long balance = nets.headMap(month, true).values().stream().mapToLong(Long::longValue).sum();
                if (!nets.headMap(month, true).isEmpty()) {
                    balanceTotal.merge(month + "|" + account.split("\\|")[1], balance, Long::sum);
                }
            });
        }
        for (GoldDataset dataset : GoldDataset.values()) {
            TableVersionLog log = new TableVersionLog(store, GoldPublisher.goldTable(layout, dataset));
            long newest = log.latestVersion();
            if (newest == 0) {
                inv.violation("gold/" + dataset.tableName() + " has no version; Silver has " + silverNewest);
                continue;
            }
            TableSnapshot gold = log.read(newest);
            if (gold.source() == null || gold.source().version() != silverNewest) {
                inv.violation("gold/" + dataset.tableName() + " version " + newest + " was computed from Silver version "
                        + (gold.source() == null ? null : gold.source().version()) + ", the newest is " + silverNewest);
            }
            Map<String, long[]> seenMonthCurrency = new TreeMap<>();
            String bucket = layout.buckets().gold();
            gold.partitions().forEach((partition, files) -> {
                YearMonth month = YearMonth.parse(partition.substring(partition.indexOf('=') + 1));
                for (DataFile file : files) {
                    parquet.read(new Location(bucket, file.key()), file.sizeBytes(), null, r -> {
                        String currency = r.get("currency").toString();
                        switch (dataset) {
                            case MONTHLY_REPORTS -> {
                                long[] want = monthCurrency.getOrDefault(month + "|" + currency, new long[2]);
                                long count = (Long) r.get("transaction_count");
                                long net = unscaled(r.get("net_amount"));
                                long total = unscaled(r.get("closing_balance_total"));
                                long wantTotal = balanceTotal.getOrDefault(month + "|" + currency, 0L);
                                if (count != want[0] || net != want[1] || total != wantTotal) {
                                    inv.violation("monthly_reports " + month + " " + currency + ": count " + count + ", net " + net
                                            + ", closing total " + total + "; recomputed " + want[0] + ", " + want[1] + ", " + wantTotal);
                                }
                                seenMonthCurrency.put(month + "|" + currency, want);
                            }
                            case TRANSACTION_SUMMARIES -> add(seenMonthCurrency, month + "|" + currency, (Long) r.get("transaction_count"),
                                    unscaled(r.get("total_amount")));
                            case ACCOUNT_BALANCES -> {
                                String account = r.get("account_id").toString();
                                long count = (Long) r.get("transaction_count");
                                long net = unscaled(r.get("net_change"));
                                long closing = unscaled(r.get("closing_balance"));
                                TreeMap<YearMonth, Long> nets = netByAccount.getOrDefault(account + "|" + currency, new TreeMap<>());
                                long wantClosing = nets.headMap(month, true).values().stream().mapToLong(Long::longValue).sum();
                                long[] want = accountMonth.getOrDefault(account + "|" + currency + "|" + month, new long[2]);
                                if (count != want[0] || net != want[1] || closing != wantClosing) {
                                    inv.violation("account_balances " + account + " " + currency + " " + month + ": count " + count + ", net "
                                            + net + ", closing " + closing + "; recomputed " + want[0] + ", " + want[1] + ", " + wantClosing);
                                }
                                if (want[0] > 0) {
                                    seenMonthCurrency.put(account + "|" + currency + "|" + month, want);
                                }
                            }
                            default -> throw new IllegalStateException("Unknown Gold dataset " + dataset);
                        }
                    });
                }
            });
            switch (dataset) {
                case MONTHLY_REPORTS -> monthCurrency.keySet().stream().filter(k -> !seenMonthCurrency.containsKey(k))
                        .forEach(k -> inv.violation("monthly_reports has no row for " + k));
                case TRANSACTION_SUMMARIES -> {
                    monthCurrency.forEach((k, want) -> {
                        long[] got = seenMonthCurrency.get(k);
                        if (got == null || got[0] != want[0] || got[1] != want[1]) {
                            inv.violation("transaction_summaries " + k + ": " + (got == null ? "no rows" : got[0] + " transactions, total " + got[1])
                                    + "; recomputed " + want[0] + ", " + want[1]);
                        }
                    });
                    seenMonthCurrency.entrySet().stream().filter(e -> !monthCurrency.containsKey(e.getKey()) && e.getValue()[0] != 0)
                            .forEach(e -> inv.violation("transaction_summaries counts " + e.getValue()[0] + " transactions for " + e.getKey()
                                    + ", which Silver has none of"));
                }
                case ACCOUNT_BALANCES -> accountMonth.keySet().stream().filter(k -> !seenMonthCurrency.containsKey(k))
                        .forEach(k -> inv.violation("account_balances has no row for " + k));
                default -> {
                }
            }
        }
    }

    private static void add(Map<String, long[]> map, String key, long cents) {
        add(map, key, 1, cents);
    }

    private static void add(Map<String, long[]> map, String key, long count, long cents) {
        long[] v = map.computeIfAbsent(key, k -> new long[2]);
        v[0] += count;
        v[1] = Math.addExact(v[1], cents);
    }

    // ---- dead letters ----------------------------------------------------------------------------

    private void deadLetters(Invariant inv, ArrayNode out) throws IOException {
        List<String> logLines = new ArrayList<>();
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path file : files.toList()) {
                    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
                        lines.filter(l -> l.contains("Poison message") || l.contains(" failed;") || l.contains("could not be handled")
                                || l.contains("Could not settle") || l.contains("holding it"))
                                .forEach(l -> logLines.add(file.getFileName() + ": " + l));
                    } catch (UncheckedIOException e) {
                        // a log with bytes that are not UTF-8: skipped
                    }
                }
            }
        }
        for (String queue : endpoints.queues().all()) {
            String dlq = queue + "-dlq";
            String url = sqs.getQueueUrl(r -> r.queueName(dlq)).queueUrl();
            Set<String> seen = new HashSet<>();
            while (true) {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .visibilityTimeout(120).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                if (messages.isEmpty() || !messages.stream().allMatch(m -> seen.add(m.messageId()))) {
                    break;
                }
                for (Message message : messages) {
                    ObjectNode node = out.addObject();
                    node.put("queue", dlq);
                    node.put("message_id", message.messageId());
                    node.put("receive_count", message.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "?"));
                    String body = message.body();
                    node.put("body", body.length() > 300 ? body.substring(0, 300) + "…" : body);
                    String reason = reason(queue, body);
                    List<String> lines = logLines.stream().filter(l -> l.contains(message.messageId())).toList();
                    if (!lines.isEmpty()) {
                        String last = lines.get(lines.size() - 1);
                        reason = (reason == null ? "" : reason + "; ") + "logged: " + (last.length() > 500 ? last.substring(0, 500) + "…" : last);
                    }
                    if (reason == null) {
                        inv.violation(dlq + " message " + message.messageId() + " is a valid event and no service logged why it failed");
                        node.putNull("reason");
                    } else {
                        node.put("reason", reason);
                    }
                }
            }
        }
    }

    /** Why a message is poison, from its body alone; null for a valid event of the queue. */
    private String reason(String queue, String body) {
        if (queue.equals(endpoints.queues().landing())) {
            return body.contains("\"Records\"") ? null : "not an S3 notification";
        }
        EventType type = queue.equals(endpoints.queues().fileLanded()) ? EventType.FILE_LANDED
                : queue.equals(endpoints.queues().retryDue()) ? EventType.RETRY_DUE
                : queue.equals(endpoints.queues().runPromoted()) ? EventType.RUN_PROMOTED : EventType.RUN_VALIDATED;
        try {
            EventCodec.decode(body, type);
            return null;
        } catch (InvalidEventException e) {
            return "poison (" + e.reason() + "): " + e.getMessage();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static List<DataFile> files(TableSnapshot snapshot) {
        List<DataFile> files = new ArrayList<>();
        snapshot.partitions().values().forEach(files::addAll);
        return files;
    }

    /** The unscaled value (cents) of a DECIMAL(18,2) column value. */
    static long unscaled(Object value) {
        if (value instanceof GenericFixed fixed) {
            return new BigInteger(fixed.bytes()).longValueExact();
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return new BigInteger(bytes).longValueExact();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.movePointRight(2).longValueExact();
        }
        throw new IllegalArgumentException("Not a decimal value: " + value);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
