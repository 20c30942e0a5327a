package dev.mortgagelake.iceberg;

import dev.mortgagelake.publish.table.CatalogSnapshot;
import dev.mortgagelake.publish.table.CatalogTable;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdatePartitionSpec;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keeps one Iceberg table following one lake table: lake version {@code n} becomes exactly one
 * Iceberg snapshot whose data files are exactly version {@code n}'s (the same objects, referenced by
 * {@code s3://} URI; nothing is copied or rewritten).
 *
 * <h2>How a version is committed</h2>
 * The difference between lake version {@code n-1} and {@code n} (files are identified by key) is one
 * Iceberg operation: {@code append} when {@code n} only adds files (a promoted run), {@code overwrite}
 * when it also removes some (a backfill superseding runs, a Gold month replaced, a rollback). Its
 * summary names the lake version ({@value #LAKE_VERSION}), its parent, operation, commit id and run
 * ids. Data file entries carry the column metrics of the file's Parquet footer.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>One snapshot per lake version, in order</b>: before committing {@code n}, the table's
 *       current snapshot must be the one of {@code n-1} (none for {@code n = 1}). This is checked by an
 *       ancestry validator on every attempt of the commit, including Iceberg's own retries after a
 *       concurrent commit, so two followers racing for {@code n} produce one snapshot: the loser's
 *       validation fails, it reloads and finds {@code n} there.</li>
 *   <li><b>Crash-safe</b>: the Iceberg commit is atomic in the catalog; a follower killed before it
 *       leaves the table at {@code n-1}, and the next {@link #follow} commits {@code n}. An outcome
 *       Iceberg reports as unknown is resolved the same way: the next call reads the summary.</li>
 *   <li><b>Never destructive</b>: no snapshot is expired and no file deleted (table properties of
 *       {@link LakeIcebergTables}).</li>
 * </ul>
 * Thread-safe: calls on one instance are serialised; instances in other processes are made safe by
 * the validator above.
 */
public final class IcebergFollower implements CatalogTable {

    /** Snapshot summary key: the lake table version the snapshot holds. */
    public static final String LAKE_VERSION = "lake.table-version";
    /** Snapshot summary key: the lake version it was computed from. */
    public static final String LAKE_PARENT_VERSION = "lake.parent-version";
    /** Snapshot summary key: the lake operation (APPEND, BACKFILL, ROLLBACK, ...). */
    public static final String LAKE_OPERATION = "lake.operation";
    /** Snapshot summary key: the runs the lake version names, comma separated. */
    public static final String LAKE_RUN_IDS = "lake.run-ids";
    /** Snapshot summary key: the lake commit id of the version. */
    public static final String LAKE_COMMIT_ID = "lake.commit-id";

    private static final Logger LOG = Logger.getLogger(IcebergFollower.class);

    private final Catalog catalog;
    private final IcebergTableDefinition definition;
    private Table table;

    public IcebergFollower(Catalog catalog, IcebergTableDefinition definition) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.definition = Objects.requireNonNull(definition, "definition");
    }

    public IcebergTableDefinition definition() {
        return definition;
    }

    @Override
    public synchronized Optional<CatalogSnapshot> follow(TableVersionLog log, TableSnapshot target) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(target, "target");
        if (target.version() < 1) {
            throw new IllegalArgumentException("Only committed versions are followed, not version " + target.version());
        }
        Table iceberg = table();
        iceberg.refresh();
        long held = lakeVersionOf(iceberg.currentSnapshot());
        if (held < target.version()) {
            TableSnapshot base = held == 0 ? TableSnapshot.empty() : log.read(held);
            for (long version = held + 1; version <= target.version(); version++) {
                TableSnapshot next = version == target.version() ? target : log.read(version);
                commit(iceberg, base, next);
                base = next;
            }
        }
        return snapshotOf(iceberg, target.version());
    }

    @Override
    public synchronized Optional<CatalogSnapshot> snapshotOf(long tableVersion) {
        Table iceberg = table();
        iceberg.refresh();
        return snapshotOf(iceberg, tableVersion);
    }

    /** The lake version the snapshot holds; 0 for none. */
    static long lakeVersionOf(Snapshot snapshot) {
        if (snapshot == null) {
            return 0;
        }
        String version = snapshot.summary().get(LAKE_VERSION);
        if (version == null) {
            throw new IllegalStateException("Iceberg snapshot " + snapshot.snapshotId() + " was not committed by the lake (no "
                    + LAKE_VERSION + " in its summary): another writer changed a table the lake owns");
        }
        return Long.parseLong(version);
    }

    private Optional<CatalogSnapshot> snapshotOf(Table iceberg, long tableVersion) {
        String metadata = ((HasTableOperations) iceberg).operations().current().metadataFileLocation();
        for (Snapshot snapshot = iceberg.currentSnapshot(); snapshot != null;
             snapshot = snapshot.parentId() == null ? null : iceberg.snapshot(snapshot.parentId())) {
            long version = lakeVersionOf(snapshot);
            if (version == tableVersion) {
                return Optional.of(new CatalogSnapshot(tableVersion, snapshot.snapshotId(), metadata));
            }
            if (version < tableVersion) {
                break;
            }
        }
        return Optional.empty();
    }

    private void commit(Table iceberg, TableSnapshot base, TableSnapshot next) {
        Map<String, DataFile> before = byKey(base);
        Map<String, DataFile> after = byKey(next);
        Map<String, String> partitionOf = partitionsByKey(next);
        Map<String, String> basePartitionOf = partitionsByKey(base);
        List<DataFile> added = after.values().stream().filter(file -> !before.containsKey(file.key())).toList();
        List<DataFile> removed = before.values().stream().filter(file -> !after.containsKey(file.key())).toList();

        NameMapping mapping = NameMappingParser.fromJson(iceberg.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
        MetricsConfig metrics = MetricsConfig.forTable(iceberg);
        SnapshotUpdate<?> update;
        if (removed.isEmpty()) {
            AppendFiles append = iceberg.newAppend();
            added.forEach(file -> append.appendFile(dataFile(iceberg, file, partitionOf.get(file.key()), mapping, metrics)));
            update = append;
        } else {
            OverwriteFiles overwrite = iceberg.newOverwrite();
            added.forEach(file -> overwrite.addFile(dataFile(iceberg, file, partitionOf.get(file.key()), mapping, metrics)));
            removed.forEach(file -> overwrite.deleteFile(reference(iceberg, file, basePartitionOf.get(file.key()))));
            update = overwrite;
        }
        update.set(LAKE_VERSION, Long.toString(next.version()));
        update.set(LAKE_PARENT_VERSION, Long.toString(base.version()));
        update.set(LAKE_OPERATION, next.operation().name());
        update.set(LAKE_COMMIT_ID, next.commitId());
        update.set(LAKE_RUN_IDS, String.join(",", next.runIds()));
        update.validateWith(new ParentIs(base.version()));
        try {
            update.commit();
            LOG.debugf("%s: lake version %d committed as an Iceberg snapshot (+%d -%d files)", definition.identifier(),
                    next.version(), added.size(), removed.size());
        } catch (ValidationException | CommitFailedException | CommitStateUnknownException e) {
            iceberg.refresh();
            long held = lakeVersionOf(iceberg.currentSnapshot());
            if (held < next.version()) {
                throw e;
            }
            LOG.debugf("%s: lake version %d was committed by another follower", definition.identifier(), next.version());
        }
    }

    private org.apache.iceberg.DataFile dataFile(Table iceberg, DataFile file, String partition, NameMapping mapping,
                                                 MetricsConfig metrics) {
        String uri = definition.dataFileUri(file.key());
        return DataFiles.builder(iceberg.spec())
                .withPath(uri)
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(file.sizeBytes())
                .withRecordCount(file.rows())
                .withPartition(definition.partition().apply(partition))
                .withMetrics(FooterMetrics.of(iceberg.io().newInputFile(uri, file.sizeBytes()), metrics, mapping))
                .build();
    }

    /** A file to remove: Iceberg matches removals by location. */
    private org.apache.iceberg.DataFile reference(Table iceberg, DataFile file, String partition) {
        return DataFiles.builder(iceberg.spec())
                .withPath(definition.dataFileUri(file.key()))
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(file.sizeBytes())
                .withRecordCount(file.rows())
                .withPartition(definition.partition().apply(partition))
                .build();
    }

    private static Map<String, DataFile> byKey(TableSnapshot snapshot) {
        Map<String, DataFile> files = new HashMap<>();
        snapshot.partitions().values().forEach(list -> list.forEach(file -> files.put(file.key(), file)));
        return files;
    }

    private static Map<String, String> partitionsByKey(TableSnapshot snapshot) {
        Map<String, String> partitions = new HashMap<>();
        snapshot.partitions().forEach((partition, list) -> list.forEach(file -> partitions.put(file.key(), partition)));
        return partitions;
    }

    /** The table, created (or adopted, if created empty elsewhere, e.g. by the deployment) on first use. */
    private Table table() {
        if (table == null) {
            table = adopt(loadOrCreate());
        }
        return table;
    }

    private Table loadOrCreate() {
        try {
            return catalog.loadTable(definition.identifier());
        } catch (NoSuchTableException e) {
            if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(definition.identifier().namespace())) {
                try {
                    namespaces.createNamespace(definition.identifier().namespace());
                } catch (RuntimeException race) {
                    // another publisher created it meanwhile (a JDBC catalog reports that as a constraint violation)
                    if (!namespaces.namespaceExists(definition.identifier().namespace())) {
                        throw race;
                    }
                }
            }
            try {
                Table created = catalog.buildTable(definition.identifier(), definition.schema())
                        .withPartitionSpec(definition.spec())
                        .withLocation(definition.location())
                        .withProperties(definition.properties())
                        .create();
                LOG.infof("Created Iceberg table %s at %s", definition.identifier(), definition.location());
                return created;
            } catch (RuntimeException race) {
                // created by another publisher meanwhile: use theirs
                if (!catalog.tableExists(definition.identifier())) {
                    throw race;
                }
                return catalog.loadTable(definition.identifier());
            }
        }
    }

    /**
     * Gives a table the lake's shape if it lacks it: missing columns (by name), the partition spec while
     * it has no snapshot, the lake's properties and a name mapping of its own field ids.
     */
    private Table adopt(Table iceberg) {
        boolean missingColumns = definition.schema().columns().stream()
                .anyMatch(column -> iceberg.schema().findField(column.name()) == null);
        if (missingColumns) {
            iceberg.updateSchema().unionByNameWith(definition.schema()).commit();
        }
        if (iceberg.spec().isUnpartitioned() && !definition.spec().isUnpartitioned()) {
            if (iceberg.currentSnapshot() != null) {
                throw new IllegalStateException("Iceberg table " + definition.identifier() + " is unpartitioned and has data;"
                        + " the lake will not repartition a table it did not create");
            }
            UpdatePartitionSpec spec = iceberg.updateSpec();
            definition.spec().fields().forEach(field -> spec.addField(field.name(), term(field)));
            spec.commit();
        }
        String mapping = NameMappingParser.toJson(MappingUtil.create(iceberg.schema()));
        Map<String, String> wanted = new HashMap<>(definition.properties());
        wanted.put(TableProperties.DEFAULT_NAME_MAPPING, mapping);
        Map<String, String> missing = wanted.entrySet().stream()
                .filter(entry -> !entry.getValue().equals(iceberg.properties().get(entry.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (!missing.isEmpty()) {
            UpdateProperties update = iceberg.updateProperties();
            missing.forEach(update::set);
            update.commit();
        }
        return iceberg;
    }

    private Term term(PartitionField field) {
        String column = definition.schema().findColumnName(field.sourceId());
        String transform = field.transform().toString();
        return switch (transform) {
            case "identity" -> Expressions.ref(column);
            case "month" -> Expressions.month(column);
            default -> throw new IllegalStateException("No adoption for partition transform " + transform);
        };
    }

    /** Accepts a commit only on top of the snapshot of lake version {@code parent} (no snapshot for 0). */
    private record ParentIs(long parent) implements SnapshotAncestryValidator {
        @Override
        public boolean validate(Iterable<Snapshot> ancestors) {
            Iterator<Snapshot> newestFirst = ancestors.iterator();
            long current = newestFirst.hasNext() ? lakeVersionOf(newestFirst.next()) : 0;
            return current == parent;
        }

        @Override
        public String errorMessage() {
            return "the table is no longer at lake version " + parent + " (another follower committed meanwhile)";
        }
    }
}
