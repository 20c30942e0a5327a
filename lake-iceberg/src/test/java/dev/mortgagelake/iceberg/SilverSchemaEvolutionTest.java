package dev.mortgagelake.iceberg;

import dev.mortgagelake.iceberg.IcebergTestLake.Row;
import dev.mortgagelake.publish.table.AppendFiles;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.parquet.InternalReader;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract v1.1 on Iceberg: a Silver table created at v1.0, with a committed snapshot over a file of
 * v1.0 shape, gains {@code transaction_type} by schema evolution when the next lake version is
 * followed with the v1.1 definition. Metadata only: the old data file stays in the table untouched and
 * reads {@code transaction_type} as null (engines coalesce it to UNKNOWN); the new rows have their values.
 */
class SilverSchemaEvolutionTest {

    private static final TableIdentifier SILVER = TableIdentifier.of(LakeIcebergTables.DEFAULT_NAMESPACE, "silver_transactions");

    @TempDir
    Path dir;

    @Test
    void aTableCreatedAtV1_0GainsTheTransactionTypeColumnWithoutRewritingItsFiles() throws IOException {
        IcebergTestLake lake = new IcebergTestLake(dir);
        String oldRun = lake.newRunId();
        TableSnapshot v1 = lake.commit(new AppendFiles(oldRun, lake.writeV1_0Run(oldRun, List.of(
                new Row("A1", "10.00", "2024-03-01T10:00:00Z"), new Row("A2", "-2.50", "2024-03-02T10:00:00Z")))));
        try (IcebergCatalogTables catalog = lake.openCatalog()) {
            LakeIcebergTables tables = new LakeIcebergTables(lake.layout, LakeIcebergTables.DEFAULT_NAMESPACE);
            // the table as the lake created it before contract v1.1
            new IcebergFollower(catalog.catalog(), tables.silver("v1", SilverSchemaV1.CONTRACT_V1_0)).follow(lake.silverLog, v1);
            Table before = catalog.catalog().loadTable(SILVER);
            assertThat(before.schema().findField(SilverSchemaV1.TRANSACTION_TYPE)).isNull();
            Map<String, Long> oldFiles = IcebergFollowerTest.filesAt(before, before.currentSnapshot().snapshotId());
            int schemaIdBefore = before.schema().schemaId();

            String newRun = lake.newRunId();
            TableSnapshot v2 = lake.commit(new AppendFiles(newRun, lake.writeRun(newRun, List.of(
                    new Row("A1", "100.00", "2024-03-03T10:00:00Z"), new Row("A3", "7.00", "2024-04-01T10:00:00Z")), "PAYMENT")));
            catalog.silver("v1").follow(lake.silverLog, v2);

            Table table = catalog.catalog().loadTable(SILVER);
            Types.NestedField type = table.schema().findField(SilverSchemaV1.TRANSACTION_TYPE);
            assertThat(type).isNotNull();
            assertThat(type.isOptional()).isTrue();
            assertThat(type.type()).isEqualTo(Types.StringType.get());
            assertThat(table.schema().columns()).last().extracting(Types.NestedField::name).isEqualTo(SilverSchemaV1.TRANSACTION_TYPE);
            assertThat(table.schema().schemaId()).isGreaterThan(schemaIdBefore);
            assertThat(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING)).contains("\"transaction_type\"");
            // the v1.0 snapshot is untouched: the same file, still listed in the newest snapshot
            assertThat(IcebergFollowerTest.filesAt(table, IcebergFollowerTest.history(table).get(0).snapshotId())).isEqualTo(oldFiles);
            assertThat(IcebergFollowerTest.filesAt(table, table.currentSnapshot().snapshotId())).containsAllEntriesOf(oldFiles)
                    .hasSize(oldFiles.size() + 2);

            Map<String, String> typeById = read(table);
            assertThat(typeById).hasSize(4);
            assertThat(typeById.entrySet()).filteredOn(e -> e.getKey().startsWith("T-" + oldRun)).extracting(Map.Entry::getValue)
                    .as("rows of the v1.0 file read the new column as null").containsExactly("(null)", "(null)");
            assertThat(typeById.entrySet()).filteredOn(e -> e.getKey().startsWith("T-" + newRun)).extracting(Map.Entry::getValue)
                    .containsExactly("PAYMENT", "PAYMENT");
        }
    }

    /** transaction_id -> transaction_type of every row of the current snapshot, read as Iceberg reads it ("(null)" for null). */
    private static Map<String, String> read(Table table) throws IOException {
        Schema schema = table.schema();
        int idPos = schema.columns().indexOf(schema.findField(SilverSchemaV1.TRANSACTION_ID));
        int typePos = schema.columns().indexOf(schema.findField(SilverSchemaV1.TRANSACTION_TYPE));
        Map<String, String> rows = new TreeMap<>();
        List<FileScanTask> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> planned = table.newScan().planFiles()) {
            planned.forEach(tasks::add);
        }
        for (FileScanTask task : tasks) {
            try (CloseableIterable<StructLike> records = Parquet.read(table.io().newInputFile(task.file().location()))
                    .project(schema)
                    .withNameMapping(NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING)))
                    .createReaderFunc(fileSchema -> InternalReader.create(schema, fileSchema))
                    .build()) {
                for (StructLike record : records) {
                    Object type = record.get(typePos, Object.class);
                    rows.put(record.get(idPos, Object.class).toString(), type == null ? "(null)" : type.toString());
                }
            }
        }
        return rows;
    }
}
