package dev.mortgagelake.deploy;

import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.iceberg.IcebergTableDefinition;
import dev.mortgagelake.iceberg.LakeIcebergTables;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.gold.parquet.AccountBalancesSchemaV1;
import dev.mortgagelake.gold.parquet.MonthlyReportsSchemaV1;
import dev.mortgagelake.gold.parquet.TransactionSummariesSchemaV1;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Glue database and the tables analysts query with Athena. Which table gives which guarantee:
 *
 * <ul>
 *   <li><b>Iceberg tables</b> ({@code table_type=ICEBERG}) {@code silver_transactions},
 *       {@code gold_account_balances}, {@code gold_monthly_reports}, {@code gold_transaction_summaries}:
 *       exactly the published snapshot. publish-service commits every lake table version (promotion,
 *       supersede, rollback; a held or rejected run is in no version) as one Iceberg snapshot through Iceberg's {@code GlueCatalog}, after
 *       the lake's own commit and before {@code _LATEST.json}; a reader resolves one snapshot atomically and
 *       can time travel ({@code FOR VERSION AS OF}). These are the tables to analyse.</li>
 *   <li><b>{@code gold_<dataset>_current}</b> (Hive-style Parquet over each Gold dataset's {@code current/},
 *       partition projection on {@code as_of_month}): for readers that cannot read Iceberg. {@code current/}
 *       is a copy that a sync rewrites file by file, so a query during a sync may see a month's old and new
 *       files together.</li>
 *   <li><b>{@code silver_transactions_all_runs}</b> (Hive-style Parquet over every validated run,
 *       partitions {@code year}, {@code month}, {@code schema_v}, {@code run_id} registered with
 *       {@code MSCK REPAIR TABLE}): held, rejected, superseded and rolled-back runs included. For audit, not
 *       for analysis: a sum over it counts a backfilled month twice.</li>
 * </ul>
 *
 * <p>The Iceberg tables are declared from {@link LakeIcebergTables}, the definitions publish-service's
 * {@code IcebergFollower} creates or adopts: the same names, the same location
 * ({@code <lake table root>_iceberg}, beside the version log), the schema (field ids as Iceberg assigns them
 * to a new table), the partition spec ({@code month(transaction_timestamp)} for Silver, identity
 * {@code as_of_month} for Gold) and the lake's table properties (perpetual retention: {@code gc.enabled=false},
 * snapshots never expire). Glue writes the empty table's first {@code metadata.json} at creation
 * ({@code OpenTableFormatInput.IcebergInput}, {@code MetadataOperation=CREATE}); on its first commit
 * publish-service adopts the table (adds any missing column by name, sets the spec while the table has no
 * snapshot, sets the properties and a name mapping) and from then on owns its metadata. The declaration
 * uses only {@code OpenTableFormatInput} (top-level {@code Name}, no {@code TableInput}): Glue rejects
 * {@code TableInput} next to an {@code IcebergTableInput}, and a {@code TableInput} that CloudFormation
 * re-sends on an update replaces the table's parameters, dropping {@code metadata_location}. The Iceberg
 * tables are retained when removed from the stack: the catalog entry is the pointer to an audited history.
 *
 * <p>Columns of the Hive-style tables are derived from the Parquet writers' Avro schemas in lake-core
 * (money DECIMAL(18,2), averages DECIMAL(20,4): see TransactionSummariesSchemaV1), like the Iceberg schemas,
 * so none of the DDL can drift from the files the code writes.
 */
public final class LakeCatalog extends Construct {

    /** The Hive-style Silver table over every validated run: audit only. */
    public static final String SILVER_ALL_RUNS_TABLE = "silver_transactions_all_runs";
    /** Suffix of a Gold dataset's Hive-style table over its {@code current/} copy. */
    public static final String CURRENT_SUFFIX = "_current";
    /** The Hive-style directories of a Silver partition ({@code year=2026/month=01/schema_v=v1/run_id=R/}). */
    public static final List<String> SILVER_PARTITION_KEYS = List.of("year", "month", "schema_v", "run_id");
    public static final String PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    public static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    /** {@code IcebergInput.MetadataOperation}: Glue writes the new table's first metadata file. */
    public static final String ICEBERG_CREATE = "CREATE";

    /** Gold datasets of schema_v=v1 and their columns (besides the {@code as_of_month} partition). */
    public static final Map<String, Map<String, String>> GOLD_COLUMNS = goldColumns();

    private final CfnDatabase database;
    private final Map<String, CfnTable> icebergTables = new LinkedHashMap<>();

    public LakeCatalog(Construct scope, String id, DeploymentSettings settings, Bucket silver, Bucket gold) {
        super(scope, id);
        String account = Stack.of(this).getAccount();
        database = CfnDatabase.Builder.create(this, "Database")
                .catalogId(account)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(settings.glueDatabase())
                        .description("Mortgage lake: Silver and Gold as Iceberg tables (analyse these), "
                                + "gold_<dataset>_current for readers without Iceberg, silver_transactions_all_runs for audit")
                        .build())
                .build();

        // The tables analysts query: Iceberg, one snapshot per published lake version.
        for (IcebergTableDefinition definition : icebergTables(settings)) {
            boolean isSilver = definition.bucket().equals(settings.buckets().silver());
            String name = definition.identifier().name();
            icebergTable("Iceberg" + pascal(name), definition, isSilver ? silver : gold, isSilver
                    ? "Silver mortgages/transactions, schema_v=" + SilverSchemaV1.SCHEMA_VERSION
                            + ": exactly the published snapshot (Iceberg, committed by publish-service); time travel with FOR VERSION AS OF"
                    : "Gold finance/" + name.substring("gold_".length())
                            + ", schema_v=v1: exactly the published snapshot (Iceberg, committed by publish-service); time travel with FOR VERSION AS OF");
        }

        table("SilverTransactionsAllRuns", SILVER_ALL_RUNS_TABLE,
                "Silver mortgages/transactions, schema_v=" + SilverSchemaV1.SCHEMA_VERSION
                        + ", every validated run: held, rejected, superseded and rolled back runs included."
                        + " For audit, not for analysis (query silver_transactions)",
                silverColumns(),
                SILVER_PARTITION_KEYS.stream().map(k -> column(k, "string")).toList(),
                "s3://" + silver.getBucketName() + "/silver/" + LakeLayout.DATASET_PATH + "/",
                Map.of());

        GOLD_COLUMNS.forEach((dataset, columns) -> {
            String current = "s3://" + gold.getBucketName() + "/" + new LakeLayout(settings.buckets()).goldTableRoot(dataset, "v1") + "current/";
            Map<String, String> projection = new LinkedHashMap<>();
            projection.put("projection.enabled", "true");
            projection.put("projection.as_of_month.type", "date");
            projection.put("projection.as_of_month.format", "yyyy-MM");
            projection.put("projection.as_of_month.range", "2000-01,NOW");
            projection.put("projection.as_of_month.interval", "1");
            projection.put("projection.as_of_month.interval.unit", "MONTHS");
            projection.put("storage.location.template", current + "as_of_month=${as_of_month}/");
            List<CfnTable.ColumnProperty> cols = new ArrayList<>();
            columns.forEach((name, type) -> cols.add(column(name, type)));
            table(pascal("gold_" + dataset) + "Current", goldCurrentTable(dataset),
                    "Gold finance/" + dataset + ", schema_v=v1, the current/ copy, for readers that cannot read Iceberg:"
                            + " a query during a sync may see a month's old and new files together (query gold_" + dataset + ")",
                    cols, List.of(column("as_of_month", "string")), current, projection);
        });
    }

    /** The Iceberg tables analysts query: Silver of schema v1 and the three Gold datasets. */
    public static List<IcebergTableDefinition> icebergTables(DeploymentSettings settings) {
        LakeIcebergTables tables = settings.icebergTables();
        List<IcebergTableDefinition> all = new ArrayList<>();
        all.add(tables.silver(SilverSchemaV1.SCHEMA_VERSION));
        for (GoldDataset dataset : GoldDataset.values()) {
            all.add(tables.gold(dataset));
        }
        return List.copyOf(all);
    }

    /** The Hive-style table over a Gold dataset's {@code current/} copy, e.g. {@code gold_account_balances_current}. */
    public static String goldCurrentTable(String dataset) {
        return "gold_" + dataset + CURRENT_SUFFIX;
    }

    /** The Iceberg tables' CloudFormation resources, by table name. */
    public Map<String, CfnTable> icebergTables() {
        return Map.copyOf(icebergTables);
    }

    public CfnDatabase database() {
        return database;
    }

    /**
     * Glue columns of the Silver Parquet schema, field by field, except the fields that are also
     * partition keys: Glue rejects a column repeated as a partition key, and the {@code run_id}
     * directory holds the same value as the file's {@code run_id} column.
     */
    static List<CfnTable.ColumnProperty> silverColumns() {
        List<CfnTable.ColumnProperty> columns = new ArrayList<>();
        for (Schema.Field field : SilverSchemaV1.SCHEMA.getFields()) {
            if (!SILVER_PARTITION_KEYS.contains(field.name())) {
                columns.add(column(field.name(), glueType(field.schema())));
            }
        }
        return columns;
    }

    /**
     * The Hive/Athena type of an Avro field type as parquet-avro writes it. A nullable field
     * ({@code ["null", T]}, e.g. Silver v1.1's {@code transaction_type}) has the type of {@code T}: Hive
     * columns are all nullable.
     */
    static String glueType(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> types = schema.getTypes().stream().filter(type -> type.getType() != Schema.Type.NULL).toList();
            if (types.size() != 1) {
                throw new IllegalArgumentException("No Glue type for the Avro union " + schema);
            }
            return glueType(types.get(0));
        }
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
        }
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.TimestampMillis) {
            return "timestamp";
        }
        return switch (schema.getType()) {
            case STRING -> "string";
            case LONG -> "bigint";
            case INT -> "int";
            case BOOLEAN -> "boolean";
            case DOUBLE -> "double";
            default -> throw new IllegalArgumentException("No Glue type for Avro " + schema);
        };
    }

    /**
     * An Iceberg table as Glue creates it from {@code OpenTableFormatInput}: the schema and partition spec
     * with the field ids Iceberg assigns to a new table ({@link TableMetadata#newTableMetadata}), the lake's
     * properties (the format version goes to {@code IcebergInput.Version}) and {@code comment}.
     */
    private void icebergTable(String id, IcebergTableDefinition definition, Bucket bucket, String description) {
        Map<String, String> lakeProperties = new LinkedHashMap<>(new TreeMap<>(definition.properties()));
        String version = lakeProperties.remove(TableProperties.FORMAT_VERSION);
        if (version == null) {
            throw new IllegalStateException("The lake's Iceberg properties name no " + TableProperties.FORMAT_VERSION);
        }
        lakeProperties.put("comment", description);
        TableMetadata fresh = TableMetadata.newTableMetadata(definition.schema(), definition.spec(), definition.location(),
                definition.properties());
        List<CfnTable.IcebergStructFieldProperty> fields = new ArrayList<>();
        for (Types.NestedField field : fresh.schema().columns()) {
            CfnTable.IcebergStructFieldProperty.Builder builder = CfnTable.IcebergStructFieldProperty.builder()
                    .id(field.fieldId())
                    .name(field.name())
                    .required(field.isRequired())
                    .type(icebergType(field.type()));
            if (field.doc() != null) {
                builder.doc(field.doc());
            }
            fields.add(builder.build());
        }
        List<CfnTable.IcebergPartitionFieldProperty> partitionFields = new ArrayList<>();
        for (PartitionField field : fresh.spec().fields()) {
            partitionFields.add(CfnTable.IcebergPartitionFieldProperty.builder()
                    .name(field.name())
                    .sourceId(field.sourceId())
                    .transform(field.transform().toString())
                    .fieldId(field.fieldId())
                    .build());
        }
        CfnTable table = CfnTable.Builder.create(this, id)
                .catalogId(Stack.of(this).getAccount())
                .databaseName(database.getRef())
                .name(definition.identifier().name())
                .openTableFormatInput(CfnTable.OpenTableFormatInputProperty.builder()
                        .icebergInput(CfnTable.IcebergInputProperty.builder()
                                .metadataOperation(ICEBERG_CREATE)
                                .version(version)
                                .icebergTableInput(CfnTable.IcebergTableInputProperty.builder()
                                        .location(definition.location())
                                        .schema(CfnTable.IcebergSchemaProperty.builder()
                                                .type("struct")
                                                .schemaId(fresh.schema().schemaId())
                                                .fields(fields)
                                                .build())
                                        .partitionSpec(CfnTable.IcebergPartitionSpecProperty.builder()
                                                .specId(fresh.spec().specId())
                                                .fields(partitionFields)
                                                .build())
                                        .properties(lakeProperties)
                                        .build())
                                .build())
                        .build())
                .build();
        table.addResourceDependency(database);
        // Glue writes the first metadata.json into the table location when it creates the table.
        table.getNode().addDependency(bucket);
        table.applyRemovalPolicy(RemovalPolicy.RETAIN);
        icebergTables.put(definition.identifier().name(), table);
    }

    /**
     * An Iceberg primitive type as {@code IcebergStructField.Type} takes it: the spec's names
     * ({@code string}, {@code long}, {@code timestamptz}, ...), decimals as {@code decimal(P,S)}.
     */
    static String icebergType(Type type) {
        if (!type.isPrimitiveType()) {
            throw new IllegalArgumentException("The lake's tables have only primitive columns, got " + type);
        }
        if (type instanceof Types.DecimalType decimal) {
            return "decimal(" + decimal.precision() + "," + decimal.scale() + ")";
        }
        return type.toString();
    }

    private void table(String id, String name, String description, List<CfnTable.ColumnProperty> columns,
                       List<CfnTable.ColumnProperty> partitionKeys, String location, Map<String, String> extraParameters) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("classification", "parquet");
        parameters.put("EXTERNAL", "TRUE");
        parameters.putAll(extraParameters);
        CfnTable table = CfnTable.Builder.create(this, id)
                .catalogId(Stack.of(this).getAccount())
                .databaseName(database.getRef())
                .tableInput(CfnTable.TableInputProperty.builder()
                        .name(name)
                        .description(description)
                        .tableType("EXTERNAL_TABLE")
                        .parameters(parameters)
                        .partitionKeys(partitionKeys)
                        .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                .location(location)
                                .inputFormat(PARQUET_INPUT)
                                .outputFormat(PARQUET_OUTPUT)
                                .serdeInfo(CfnTable.SerdeInfoProperty.builder().serializationLibrary(PARQUET_SERDE).build())
                                .columns(columns)
                                .build())
                        .build())
                .build();
        table.addResourceDependency(database);
    }

    private static CfnTable.ColumnProperty column(String name, String type) {
        return CfnTable.ColumnProperty.builder().name(name).type(type).build();
    }

    /**
     * Gold columns derived from the Avro schemas the Gold writers use ({@code dev.mortgagelake.gold.parquet}),
     * field by field, like Silver: the DDL cannot drift from the Parquet files the code writes.
     */
    private static Map<String, Map<String, String>> goldColumns() {
        Map<String, Map<String, String>> gold = new LinkedHashMap<>();
        gold.put(GoldDataset.ACCOUNT_BALANCES.tableName(), columnsOf(AccountBalancesSchemaV1.SCHEMA));
        gold.put(GoldDataset.MONTHLY_REPORTS.tableName(), columnsOf(MonthlyReportsSchemaV1.SCHEMA));
        gold.put(GoldDataset.TRANSACTION_SUMMARIES.tableName(), columnsOf(TransactionSummariesSchemaV1.SCHEMA));
        return java.util.Collections.unmodifiableMap(gold);
    }

    private static Map<String, String> columnsOf(Schema schema) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Schema.Field field : schema.getFields()) {
            columns.put(field.name(), glueType(field.schema()));
        }
        return java.util.Collections.unmodifiableMap(columns);
    }

    private static String pascal(String snake) {
        StringBuilder out = new StringBuilder();
        for (String part : snake.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
