package dev.mortgagelake.iceberg;

import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.gold.GoldRefresh;
import dev.mortgagelake.gold.parquet.AccountBalancesSchemaV1;
import dev.mortgagelake.gold.parquet.MonthlyReportsSchemaV1;
import dev.mortgagelake.gold.parquet.TransactionSummariesSchemaV1;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.avro.AvroSchemaUtil;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Iceberg tables of the lake: names, schemas, partition specs, locations and properties.
 *
 * <ul>
 *   <li><b>Silver</b> {@code <namespace>.silver_transactions} (schema {@code v1}; another schema
 *       version {@code vN} is {@code silver_transactions_vN}), partitioned by
 *       {@code month(transaction_timestamp)}. A transform, not identity columns: the lake's files have
 *       no {@code year}/{@code month} columns (they are directories), and with hidden partitioning an
 *       analyst's {@code WHERE transaction_timestamp >= ...} prunes months without knowing the layout.
 *       One lake partition ({@code year=YYYY/month=MM}) is exactly one month value.</li>
 *   <li><b>Gold</b> {@code <namespace>.gold_<dataset>}, partitioned by identity {@code as_of_month}
 *       (a string {@code YYYY-MM}). The column is not in the Gold files (it is their directory); Iceberg
 *       readers take an identity partition column from the partition tuple, as for migrated Hive
 *       tables.</li>
 * </ul>
 * Schemas are derived from the Avro schemas the lake's Parquet writers use, with timestamps as
 * {@code timestamptz} (the files store them adjusted to UTC). The lake's files carry no Iceberg field
 * ids, so every table has a default name mapping ({@code schema.name-mapping.default}) by which
 * readers find columns by name.
 *
 * <p>Retention is perpetual (financial audit): {@code gc.enabled=false} makes Iceberg's snapshot
 * expiry and orphan-file removal refuse to delete data files, no snapshot ever expires, and old
 * metadata documents are kept.
 */
public final class LakeIcebergTables {

    /** The default catalog namespace (Glue database) of the lake's Iceberg tables. */
    public static final String DEFAULT_NAMESPACE = "mortgage_lake";

    /** Below a lake table's root: where its Iceberg table keeps {@code metadata/}. */
    public static final String ICEBERG_DIRECTORY = "_iceberg";

    /** The properties every lake Iceberg table carries (besides its name mapping). */
    public static final Map<String, String> PROPERTIES = properties();

    private final LakeLayout layout;
    private final Namespace namespace;

    public LakeIcebergTables(LakeLayout layout, String namespace) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.namespace = Namespace.of(Objects.requireNonNull(namespace, "namespace"));
    }

    public Namespace namespace() {
        return namespace;
    }

    /** The Iceberg name of the Silver table of {@code schemaVersion}. */
    public static String silverTableName(String schemaVersion) {
        return "v1".equals(schemaVersion) ? "silver_transactions" : "silver_transactions_" + schemaVersion;
    }

    /** The Iceberg name of a Gold dataset's table. */
    public static String goldTableName(GoldDataset dataset) {
        return "gold_" + dataset.tableName();
    }

    /**
     * The Silver table of {@code schemaVersion} (only v1 has a contract so far), with the schema of the
     * contract the lake writes with ({@link SilverSchemaV1#CONTRACT}, v1.1). A table created at an earlier
     * minor gains the new columns when a follower adopts it (Iceberg schema evolution: metadata only,
     * no data file is rewritten; the older files read the new columns as null).
     */
    public IcebergTableDefinition silver(String schemaVersion) {
        return silver(schemaVersion, SilverSchemaV1.CONTRACT);
    }

    /** The Silver table of {@code schemaVersion} with the schema of the Silver contract {@code contract} (a minor of that schema_v). */
    public IcebergTableDefinition silver(String schemaVersion, dev.mortgagelake.contract.DatasetContract contract) {
        if (!SilverSchemaV1.SCHEMA_VERSION.equals(schemaVersion) || contract.version().schema() != 1
                || !SilverSchemaV1.CONTRACT_TABLE.equals(contract.table())) {
            throw new IllegalArgumentException("No Silver contract for schema version " + schemaVersion + " in " + contract);
        }
        Schema schema = withUtcTimestamps(AvroSchemaUtil.toIceberg(contract.writerSchema()));
        PartitionSpec spec = PartitionSpec.builderFor(schema).month(SilverSchemaV1.TRANSACTION_TIMESTAMP).build();
        String root = layout.silverTableRoot(schemaVersion);
        return new IcebergTableDefinition(TableIdentifier.of(namespace, silverTableName(schemaVersion)), schema, spec,
                "s3://" + layout.buckets().silver() + "/" + root + ICEBERG_DIRECTORY, layout.buckets().silver(),
                partition -> monthPartition(spec, partition), PROPERTIES);
    }

    /** The table of a Gold dataset. */
    public IcebergTableDefinition gold(GoldDataset dataset) {
        org.apache.avro.Schema avro = switch (dataset) {
            case ACCOUNT_BALANCES -> AccountBalancesSchemaV1.SCHEMA;
            case MONTHLY_REPORTS -> MonthlyReportsSchemaV1.SCHEMA;
            case TRANSACTION_SUMMARIES -> TransactionSummariesSchemaV1.SCHEMA;
        };
        Schema fileColumns = withUtcTimestamps(AvroSchemaUtil.toIceberg(avro));
        List<Types.NestedField> columns = new ArrayList<>();
        columns.add(Types.NestedField.required(fileColumns.highestFieldId() + 1, GoldRefresh.PARTITION_COLUMN, Types.StringType.get(),
                "Month of the figures, YYYY-MM (UTC business time)"));
        columns.addAll(fileColumns.columns());
        Schema schema = new Schema(columns);
        PartitionSpec spec = PartitionSpec.builderFor(schema).identity(GoldRefresh.PARTITION_COLUMN).build();
        String root = layout.goldTableRoot(dataset.tableName(), GoldDataset.SCHEMA_VERSION);
        return new IcebergTableDefinition(TableIdentifier.of(namespace, goldTableName(dataset)), schema, spec,
                "s3://" + layout.buckets().gold() + "/" + root + ICEBERG_DIRECTORY, layout.buckets().gold(),
                partition -> identityPartition(spec, partition), PROPERTIES);
    }

    private static StructLike monthPartition(PartitionSpec spec, String partition) {
        YearMonth month = yearMonth(partition);
        PartitionData data = new PartitionData(spec.partitionType());
        data.set(0, (month.getYear() - 1970) * 12 + month.getMonthValue() - 1);
        return data;
    }

    private static StructLike identityPartition(PartitionSpec spec, String partition) {
        PartitionData data = new PartitionData(spec.partitionType());
        data.set(0, yearMonth(partition).toString());
        return data;
    }

    private static YearMonth yearMonth(String partition) {
        try {
            return YearMonth.parse(partition);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a YYYY-MM partition: '" + partition + "'", e);
        }
    }

    /** Timestamps of the lake's files are adjusted to UTC: {@code timestamptz}, not a local {@code timestamp}. */
    private static Schema withUtcTimestamps(Schema schema) {
        List<Types.NestedField> columns = new ArrayList<>();
        for (Types.NestedField field : schema.columns()) {
            Type type = field.type().typeId() == Type.TypeID.TIMESTAMP ? Types.TimestampType.withZone() : field.type();
            columns.add(Types.NestedField.of(field.fieldId(), field.isOptional(), field.name(), type, field.doc()));
        }
        return new Schema(columns);
    }

    private static Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(TableProperties.FORMAT_VERSION, "2");
        // Perpetual retention: no expiry job may delete data files or snapshots of a financial record.
        properties.put(TableProperties.GC_ENABLED, "false");
        properties.put(TableProperties.MAX_SNAPSHOT_AGE_MS, Long.toString(Long.MAX_VALUE));
        properties.put(TableProperties.MIN_SNAPSHOTS_TO_KEEP, Integer.toString(Integer.MAX_VALUE));
        properties.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "false");
        properties.put("lake.retention", "perpetual: snapshots never expire and data files are never deleted (financial audit)");
        properties.put("lake.authority", "the lake's version log and _LATEST.json; this table follows them, one snapshot per version");
        return Map.copyOf(properties);
    }
}
