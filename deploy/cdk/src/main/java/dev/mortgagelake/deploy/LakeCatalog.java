package dev.mortgagelake.deploy;

import dev.mortgagelake.layout.LakeLayout;
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
 * <p>Gold columns follow the Gold definitions of the product brief (money DECIMAL(18,2), averages
 * DECIMAL(20,4): see TransactionSummariesSchemaV1); they must be kept equal to the Gold Parquet schemas in lake-core once those exist.
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

    private static Map<String, Map<String, String>> goldColumns() {
        String money = "decimal(18,2)";
        Map<String, String> balances = new LinkedHashMap<>();
        balances.put("account_id", "string");
        balances.put("currency", "string");
        balances.put("closing_balance", money);
        balances.put("net_change", money);
        balances.put("transaction_count", "bigint");
        balances.put("last_transaction_at", "timestamp");
        Map<String, String> reports = new LinkedHashMap<>();
        reports.put("currency", "string");
        reports.put("transaction_count", "bigint");
        reports.put("active_accounts", "bigint");
        reports.put("total_credits", money);
        reports.put("total_debits", money);
        reports.put("net_amount", money);
        reports.put("closing_balance_total", money);
        reports.put("accounts_with_balance", "bigint");
        Map<String, String> summaries = new LinkedHashMap<>();
        summaries.put("currency", "string");
        summaries.put("transaction_type", "string");
        summaries.put("transaction_count", "bigint");
        summaries.put("total_amount", money);
        summaries.put("min_amount", money);
        summaries.put("max_amount", money);
        summaries.put("avg_amount", "decimal(20,4)");
        Map<String, Map<String, String>> gold = new LinkedHashMap<>();
        gold.put("account_balances", balances);
        gold.put("monthly_reports", reports);
        gold.put("transaction_summaries", summaries);
        return java.util.Collections.unmodifiableMap(gold);
    }

    private static String pascal(String snake) {
        StringBuilder out = new StringBuilder("Gold");
        for (String part : snake.split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
