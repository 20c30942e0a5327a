package dev.mortgagelake.iceberg;

import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.aws.S3ObjectStore;
import dev.mortgagelake.embedded.EmbeddedS3Server;
import dev.mortgagelake.embedded.LocalAwsCredentials;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.parquet.LakeParquet;
import dev.mortgagelake.parquet.ParquetWriterSettings;
import dev.mortgagelake.publish.table.AppendFiles;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableChange;
import dev.mortgagelake.publish.table.TableCommitter;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import dev.mortgagelake.validation.silver.SilverStagingWriter;
import dev.mortgagelake.validation.silver.StagedPart;
import dev.mortgagelake.gold.GoldPublisher;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lake on the embedded S3 server (one per test JVM) with its own buckets, real Silver v1 Parquet
 * runs committed to the lake's Silver table, and the embedded Iceberg catalog (SQLite file) next to it.
 */
final class IcebergTestLake {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-21T12:00:00Z"), ZoneOffset.UTC);
    static final CommitPolicy FAST = new CommitPolicy(10, Duration.ofMillis(1), Duration.ofMillis(20), 3);

    private static EmbeddedS3Server server;
    private static S3Client s3;

    final Path dir;
    final LakeLayout layout;
    final ObjectStore store;
    final TableVersionLog silverLog;
    private final TableCommitter silverCommitter;
    private final AtomicLong runs = new AtomicLong();

    IcebergTestLake(Path dir) {
        this.dir = dir;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        LakeBuckets buckets = new LakeBuckets("landing-" + suffix, "bronze-" + suffix, "silver-" + suffix, "gold-" + suffix,
                "quarantine-" + suffix);
        this.layout = new LakeLayout(buckets);
        S3Client client = s3();
        for (String bucket : List.of(buckets.silver(), buckets.gold())) {
            client.createBucket(b -> b.bucket(bucket));
        }
        this.store = new S3ObjectStore(client);
        this.silverLog = new TableVersionLog(store, GoldPublisher.silverTable(layout));
        this.silverCommitter = new TableCommitter(store, silverLog, FAST, CLOCK);
    }

    static synchronized S3Client s3() {
        if (s3 == null) {
            server = EmbeddedS3Server.inMemory().start();
            s3 = LakeAwsClients.s3(server.endpoint(), LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID,
                    LocalAwsCredentials.SECRET_ACCESS_KEY);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                s3.close();
                server.stop();
            }, "embedded-s3-stop"));
        }
        return s3;
    }

    /** Catalog properties of the embedded catalog in this lake's directory (every call: another client of the same catalog). */
    Map<String, String> catalogProperties() {
        s3();
        return IcebergCatalogProperties.embedded(dir.resolve("catalog.db"), "s3://" + layout.buckets().silver() + "/_warehouse",
                server.endpoint(), LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID, LocalAwsCredentials.SECRET_ACCESS_KEY);
    }

    IcebergCatalogTables openCatalog() {
        return IcebergCatalogTables.open(IcebergCatalogProperties.LOCAL_CATALOG, catalogProperties(), layout,
                LakeIcebergTables.DEFAULT_NAMESPACE);
    }

    /** One transaction of {@code amount} for {@code account} at {@code at} (ISO instant). */
    record Row(String account, String amount, String at) {
    }

    /** Writes {@code rows} as one Silver run (a Parquet part per month) and returns its files by partition. */
    Map<String, List<DataFile>> writeRun(String runId, List<Row> rows) {
        return writeRun(runId, rows, dev.mortgagelake.validation.contract.ContractV1.UNKNOWN_TRANSACTION_TYPE);
    }

    /** As {@link #writeRun(String, List)}, every row of transaction type {@code type}. */
    Map<String, List<DataFile>> writeRun(String runId, List<Row> rows, String type) {
        Path staging = dir.resolve("staging-" + runId);
        Map<String, List<DataFile>> files = new TreeMap<>();
        try {
            Files.createDirectories(staging);
            List<StagedPart> parts;
            try (SilverStagingWriter writer = new SilverStagingWriter(staging, runId, ParquetWriterSettings.DEFAULT, 1_000_000)) {
                long line = 2;
                for (Row row : rows) {
                    Instant at = Instant.parse(row.at());
                    long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
                    writer.write("T-" + runId + "-" + line, row.account(), new BigDecimal(row.amount()).movePointRight(2).longValueExact(),
                            "EUR", micros, line++, type);
                }
                parts = writer.finish();
            }
            for (StagedPart part : parts) {
                Location location = layout.silverPart(part.month(), SilverSchemaV1.SCHEMA_VERSION, RunId.of(runId), part.index());
                store.create(location, part.file(), LakeParquet.CONTENT_TYPE);
                files.computeIfAbsent(part.month().toString(), k -> new ArrayList<>())
                        .add(new DataFile(location.key(), runId, part.rows(), part.sizeBytes(), part.sha256()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * Writes {@code rows} as one Silver run in the shape of contract v1.0 (no {@code transaction_type}
     * column, as every file written before v1.1) with parquet-avro, one part per month.
     */
    Map<String, List<DataFile>> writeV1_0Run(String runId, List<Row> rows) {
        org.apache.avro.Schema schema = SilverSchemaV1.CONTRACT_V1_0.writerSchema();
        Map<String, List<DataFile>> files = new TreeMap<>();
        Map<java.time.YearMonth, List<Row>> byMonth = new TreeMap<>();
        rows.forEach(row -> byMonth.computeIfAbsent(java.time.YearMonth.from(Instant.parse(row.at()).atZone(ZoneOffset.UTC)),
                m -> new ArrayList<>()).add(row));
        try {
            Path staging = Files.createDirectories(dir.resolve("staging-" + runId));
            long line = 2;
            for (Map.Entry<java.time.YearMonth, List<Row>> month : byMonth.entrySet()) {
                dev.mortgagelake.parquet.HashingOutputFile file = new dev.mortgagelake.parquet.HashingOutputFile(
                        staging.resolve(month.getKey() + ".parquet"));
                try (org.apache.parquet.hadoop.ParquetWriter<org.apache.avro.generic.GenericRecord> writer = LakeParquet.openWriter(file,
                        schema, ParquetWriterSettings.DEFAULT, List.of(), Map.of())) {
                    for (Row row : month.getValue()) {
                        Instant at = Instant.parse(row.at());
                        org.apache.avro.generic.GenericData.Record record = new org.apache.avro.generic.GenericData.Record(schema);
                        record.put(SilverSchemaV1.TRANSACTION_ID, "T-" + runId + "-" + line);
                        record.put(SilverSchemaV1.CUSTOMER_ID, row.account());
                        record.put(SilverSchemaV1.TRANSACTION_AMOUNT,
                                SilverSchemaV1.amount(new BigDecimal(row.amount()).movePointRight(2).longValueExact()));
                        record.put(SilverSchemaV1.CURRENCY, "EUR");
                        record.put(SilverSchemaV1.TRANSACTION_TIMESTAMP, at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000);
                        record.put(SilverSchemaV1.RUN_ID, runId);
                        record.put(SilverSchemaV1.SOURCE_LINE, line++);
                        writer.write(record);
                    }
                }
                Location location = layout.silverPart(month.getKey(), SilverSchemaV1.SCHEMA_VERSION, RunId.of(runId), 0);
                store.create(location, file.path(), LakeParquet.CONTENT_TYPE);
                files.put(month.getKey().toString(), new ArrayList<>(List.of(new DataFile(location.key(), runId,
                        month.getValue().size(), file.sizeBytes(), file.sha256()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    String newRunId() {
        return RunId.newRun(CLOCK.instant().plusMillis(runs.incrementAndGet())).value();
    }

    /** Writes and appends a run: the new Silver version. */
    TableSnapshot appendRun(List<Row> rows) {
        String runId = newRunId();
        return commit(new AppendFiles(runId, writeRun(runId, rows)));
    }

    TableSnapshot commit(TableChange change) {
        return silverCommitter.commit(change).snapshot();
    }
}
