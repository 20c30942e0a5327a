package dev.mortgagelake.deploy;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.gold.parquet.AccountBalancesSchemaV1;
import dev.mortgagelake.gold.parquet.MonthlyReportsSchemaV1;
import dev.mortgagelake.gold.parquet.TransactionSummariesSchemaV1;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Glue database and the external Parquet tables analysts query with Athena: Silver
 * {@code mortgages/transactions} (columns derived from {@link SilverSchemaV1#SCHEMA}, so they cannot
 * drift from what validation-service writes) and the three Gold datasets over their {@code current/}
 * prefixes.
 *
 * <p>Gold columns are derived from the Gold writers' schemas in lake-core (money DECIMAL(18,2), averages
 * DECIMAL(20,4): see TransactionSummariesSchemaV1); the stack tests check them against the Gold v1 column list.
 * Gold tables use partition projection on {@code as_of_month} ({@code yyyy-MM}), so no partition has
 * to be registered. Silver partitions ({@code year}, {@code month}, {@code schema_v}, {@code run_id})
 * are Hive-style and must be registered ({@code MSCK REPAIR TABLE}); Silver also holds runs that were
 * never promoted, so readers of the published table go through {@code _LATEST.json}.
 */
public final class LakeCatalog extends Construct {

    public static final String SILVER_TABLE = "silver_transactions";
    /** The Hive-style directories of a Silver partition ({@code year=2026/month=01/schema_v=v1/run_id=R/}). */
    public static final List<String> SILVER_PARTITION_KEYS = List.of("year", "month", "schema_v", "run_id");
    public static final String PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    public static final String PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    public static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

    /** Gold datasets of schema_v=v1 and their columns (besides the {@code as_of_month} partition). */
    public static final Map<String, Map<String, String>> GOLD_COLUMNS = goldColumns();

    private final CfnDatabase database;

    public LakeCatalog(Construct scope, String id, DeploymentSettings settings, Bucket silver, Bucket gold) {
        super(scope, id);
        String account = Stack.of(this).getAccount();
        database = CfnDatabase.Builder.create(this, "Database")
                .catalogId(account)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(settings.glueDatabase())
                        .description("Mortgage lake: Silver and Gold tables (Parquet)")
                        .build())
                .build();

        table("SilverTransactions", SILVER_TABLE,
                "Silver mortgages/transactions, schema_v=" + SilverSchemaV1.SCHEMA_VERSION + ", every validated run",
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
            table(pascal(dataset), "gold_" + dataset, "Gold finance/" + dataset + ", schema_v=v1, current/ (published)",
                    cols, List.of(column("as_of_month", "string")), current, projection);
        });
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

    /** The Hive/Athena type of an Avro field type as parquet-avro writes it. */
    static String glueType(Schema schema) {
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
        StringBuilder out = new StringBuilder("Gold");
        for (String part : snake.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
