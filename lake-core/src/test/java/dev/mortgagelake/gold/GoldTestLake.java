package dev.mortgagelake.gold;

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
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import dev.mortgagelake.validation.silver.SilverStagingWriter;
import dev.mortgagelake.validation.silver.StagedPart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A lake on a {@link FileSystemObjectStore}: Silver runs written as real Silver v1 Parquet
 * ({@link SilverStagingWriter}) and appended to the Silver table, a {@link GoldPublisher}, and an
 * independent DuckDB computation of the three Gold datasets from the Silver rows to compare against.
 */
final class GoldTestLake {

    static final LakeBuckets BUCKETS = new LakeBuckets("lake-landing", "lake-bronze", "lake-silver", "lake-gold", "lake-quarantine");
    static final LakeLayout LAYOUT = new LakeLayout(BUCKETS);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-21T12:00:00Z"), ZoneOffset.UTC);
    static final CommitPolicy FAST = new CommitPolicy(10, Duration.ofMillis(1), Duration.ofMillis(20), 3);

    private final Path dir;
    final FileSystemObjectStore store;
    final TableVersionLog silverLog;
    private final TableCommitter silverCommitter;
    private final AtomicLong runs = new AtomicLong();

    GoldTestLake(Path dir) {
        this.dir = dir;
        this.store = new FileSystemObjectStore(dir.resolve("store"));
        this.silverLog = new TableVersionLog(store, GoldPublisher.silverTable(LAYOUT));
        this.silverCommitter = new TableCommitter(store, silverLog, FAST, CLOCK);
    }

    GoldPublisher publisher() {
        return new GoldPublisher(store, LAYOUT, FAST, CLOCK, dir.resolve("work"));
    }

    /** Writes {@code rows} as one Silver run (Parquet parts per month) and appends it: the new Silver version. */
    TableSnapshot appendRun(List<SilverTransaction> rows) {
        RunId runId = RunId.newRun(CLOCK.instant().plusMillis(runs.incrementAndGet()));
        Path staging = dir.resolve("staging-" + runId);
        Map<String, List<DataFile>> files = new TreeMap<>();
        try {
            Files.createDirectories(staging);
            List<StagedPart> parts;
            try (SilverStagingWriter writer = new SilverStagingWriter(staging, runId.value(), ParquetWriterSettings.DEFAULT, 1_000_000)) {
                long line = 2;
                for (SilverTransaction row : rows) {
                    writer.write("T" + runId + "-" + line, row.accountId(), row.amountCents(), row.currency(), row.timestampMicros(), line++,
                            row.transactionType());
                }
                parts = writer.finish();
            }
            for (StagedPart part : parts) {
                Location location = LAYOUT.silverPart(part.month(), SilverSchemaV1.SCHEMA_VERSION, runId, part.index());
                store.create(location, part.file(), LakeParquet.CONTENT_TYPE);
                files.computeIfAbsent(part.month().toString(), k -> new ArrayList<>())
                        .add(new DataFile(location.key(), runId.value(), part.rows(), part.sizeBytes(), part.sha256()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return silverCommitter.commit(new AppendFiles(runId.value(), files)).snapshot();
    }

    /**
     * Writes {@code rows} as one Silver run in the shape of contract v1.0 (no {@code transaction_type}
     * column: files the lake wrote before v1.1) with parquet-avro, and appends it.
     */
    TableSnapshot appendV1_0Run(List<SilverTransaction> rows) {
        RunId runId = RunId.newRun(CLOCK.instant().plusMillis(runs.incrementAndGet()));
        org.apache.avro.Schema schema = SilverSchemaV1.CONTRACT_V1_0.writerSchema();
        Map<String, List<DataFile>> files = new TreeMap<>();
        Map<java.time.YearMonth, List<SilverTransaction>> byMonth = rows.stream()
                .collect(Collectors.groupingBy(SilverTransaction::asOfMonth, TreeMap::new, Collectors.toList()));
        try {
            Path staging = Files.createDirectories(dir.resolve("staging-" + runId));
            long line = 2;
            for (Map.Entry<java.time.YearMonth, List<SilverTransaction>> month : byMonth.entrySet()) {
                dev.mortgagelake.parquet.HashingOutputFile file = new dev.mortgagelake.parquet.HashingOutputFile(
                        staging.resolve(month.getKey() + ".parquet"));
                try (org.apache.parquet.hadoop.ParquetWriter<org.apache.avro.generic.GenericRecord> writer = LakeParquet.openWriter(file,
                        schema, ParquetWriterSettings.DEFAULT, List.of(), Map.of())) {
                    for (SilverTransaction row : month.getValue()) {
                        org.apache.avro.generic.GenericData.Record record = new org.apache.avro.generic.GenericData.Record(schema);
                        record.put(SilverSchemaV1.TRANSACTION_ID, "T" + runId + "-" + line);
                        record.put(SilverSchemaV1.CUSTOMER_ID, row.accountId());
                        record.put(SilverSchemaV1.TRANSACTION_AMOUNT, SilverSchemaV1.amount(row.amountCents()));
                        record.put(SilverSchemaV1.CURRENCY, row.currency());
                        record.put(SilverSchemaV1.TRANSACTION_TIMESTAMP, row.timestampMicros());
                        record.put(SilverSchemaV1.RUN_ID, runId.value());
                        record.put(SilverSchemaV1.SOURCE_LINE, line++);
                        writer.write(record);
                    }
                }
                Location location = LAYOUT.silverPart(month.getKey(), SilverSchemaV1.SCHEMA_VERSION, runId, 0);
                store.create(location, file.path(), LakeParquet.CONTENT_TYPE);
                files.put(month.getKey().toString(), new ArrayList<>(List.of(new DataFile(location.key(), runId.value(),
                        month.getValue().size(), file.sizeBytes(), file.sha256()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return silverCommitter.commit(new AppendFiles(runId.value(), files)).snapshot();
    }

    /** Commits any change to the Silver table (e.g. one that drops a month, as a rollback would). */
    TableSnapshot commitSilver(TableChange change) {
        return silverCommitter.commit(change).snapshot();
    }

    // ---- DuckDB: the independent computation -------------------------------------------------------

    /** The Gold datasets computed in SQL over the Silver files of {@code silver}, one line per row, sorted. */
    Map<GoldDataset, List<String>> expected(TableSnapshot silver) {
        List<String> files = silver.partitions().values().stream().flatMap(List::stream)
                .map(file -> path(BUCKETS.silver(), file.key())).toList();
        if (files.isEmpty()) {
            return Map.of(GoldDataset.ACCOUNT_BALANCES, List.of(), GoldDataset.MONTHLY_REPORTS, List.of(),
                    GoldDataset.TRANSACTION_SUMMARIES, List.of());
        }
        List<String> setup = List.of(
                "SET TimeZone='UTC'",
                // union_by_name: files of contract v1.0 have no transaction_type; engines read it as UNKNOWN
                "CREATE TEMP TABLE tx AS SELECT customer_id AS a, currency AS c, transaction_amount AS amt,"
                        + " epoch_us(transaction_timestamp) AS us, date_trunc('month', CAST(transaction_timestamp AS TIMESTAMP)) AS md,"
                        + " coalesce(transaction_type, 'UNKNOWN') AS t"
                        + " FROM read_parquet(" + sqlList(files) + ", union_by_name = true)",
                "CREATE TEMP TABLE months AS SELECT unnest(generate_series((SELECT min(md) FROM tx), (SELECT max(md) FROM tx),"
                        + " INTERVAL 1 MONTH)) AS md",
                // account_balances: every month from the first transaction of the account in the currency to the last Silver month
                "CREATE TEMP TABLE ab AS SELECT k.a, k.c, mo.md,"
                        + " (SELECT sum(amt) FROM tx WHERE tx.a = k.a AND tx.c = k.c AND tx.md <= mo.md) AS closing,"
                        + " (SELECT coalesce(sum(amt), 0) FROM tx WHERE tx.a = k.a AND tx.c = k.c AND tx.md = mo.md) AS net,"
                        + " (SELECT count(*) FROM tx WHERE tx.a = k.a AND tx.c = k.c AND tx.md = mo.md) AS cnt,"
                        + " (SELECT max(us) FROM tx WHERE tx.a = k.a AND tx.c = k.c AND tx.md <= mo.md) AS last_us"
                        + " FROM (SELECT a, c, min(md) AS first_md FROM tx GROUP BY a, c) k JOIN months mo ON mo.md >= k.first_md");
        String balances = "SELECT concat_ws('|', strftime(md, '%Y-%m'), a, c, CAST(closing AS DECIMAL(18,2)),"
                + " CAST(net AS DECIMAL(18,2)), cnt, last_us) FROM ab";
        String reports = "WITH act AS (SELECT md, c, count(*) AS n, count(DISTINCT a) AS active,"
                + " sum(amt) FILTER (WHERE amt > 0) AS cr, sum(amt) FILTER (WHERE amt < 0) AS db, sum(amt) AS net FROM tx GROUP BY md, c),"
                + " bal AS (SELECT md, c, sum(closing) AS total, count(*) FILTER (WHERE closing <> 0) AS nz FROM ab GROUP BY md, c)"
                + " SELECT concat_ws('|', strftime(bal.md, '%Y-%m'), bal.c, coalesce(act.n, 0), coalesce(act.active, 0),"
                + " CAST(coalesce(act.cr, 0) AS DECIMAL(18,2)), CAST(coalesce(act.db, 0) AS DECIMAL(18,2)),"
                + " CAST(coalesce(act.net, 0) AS DECIMAL(18,2)), CAST(bal.total AS DECIMAL(18,2)), bal.nz)"
                + " FROM bal LEFT JOIN act ON act.md = bal.md AND act.c = bal.c";
        // avg: exact quotient in units of 0.0001, rounded half to even by integer arithmetic
        String summaries = "WITH g AS (SELECT md, c, t, count(*) AS n, sum(amt) AS s, min(amt) AS mn, max(amt) AS mx,"
                + " CAST(sum(amt) * 100 AS HUGEINT) * 100 AS x FROM tx GROUP BY md, c, t),"
                + " q AS (SELECT *, abs(x) // n AS qq, abs(x) % n AS rr FROM g)"
                + " SELECT concat_ws('|', strftime(md, '%Y-%m'), c, t, n, CAST(s AS DECIMAL(18,2)), mn, mx,"
                + " CAST(CAST(sign(x) * (qq + CASE WHEN 2 * rr > n THEN 1 WHEN 2 * rr = n THEN qq % 2 ELSE 0 END) AS DECIMAL(18,0))"
                + " * 0.0001 AS DECIMAL(20,4))) FROM q";
        return Map.of(GoldDataset.ACCOUNT_BALANCES, query(setup, balances),
                GoldDataset.MONTHLY_REPORTS, query(setup, reports),
                GoldDataset.TRANSACTION_SUMMARIES, query(setup, summaries));
    }

    /** The rows of the Gold snapshot of each dataset, read by DuckDB from the files the snapshots list, as {@link #expected} formats them. */
    Map<GoldDataset, List<String>> gold(Map<GoldDataset, TableSnapshot> snapshots) {
        String balances = "SELECT concat_ws('|', as_of_month, account_id, currency, closing_balance, net_change, transaction_count,"
                + " epoch_us(last_transaction_at)) FROM ";
        String reports = "SELECT concat_ws('|', as_of_month, currency, transaction_count, active_accounts, total_credits, total_debits,"
                + " net_amount, closing_balance_total, accounts_with_balance) FROM ";
        String summaries = "SELECT concat_ws('|', as_of_month, currency, transaction_type, transaction_count, total_amount, min_amount,"
                + " max_amount, avg_amount) FROM ";
        return Map.of(GoldDataset.ACCOUNT_BALANCES, goldRows(snapshots.get(GoldDataset.ACCOUNT_BALANCES), balances),
                GoldDataset.MONTHLY_REPORTS, goldRows(snapshots.get(GoldDataset.MONTHLY_REPORTS), reports),
                GoldDataset.TRANSACTION_SUMMARIES, goldRows(snapshots.get(GoldDataset.TRANSACTION_SUMMARIES), summaries));
    }

    /** Each Gold table's current version. */
    Map<GoldDataset, TableSnapshot> currentGold(GoldPublisher publisher) {
        Map<GoldDataset, TableSnapshot> current = new java.util.EnumMap<>(GoldDataset.class);
        for (GoldDataset dataset : GoldDataset.values()) {
            current.put(dataset, publisher.log(dataset).current());
        }
        return current;
    }

    private List<String> goldRows(TableSnapshot snapshot, String select) {
        List<String> files = snapshot.partitions().values().stream().flatMap(List::stream)
                .map(file -> path(BUCKETS.gold(), file.key())).toList();
        if (files.isEmpty()) {
            return List.of();
        }
        return query(List.of("SET TimeZone='UTC'"), select + "read_parquet(" + sqlList(files) + ", hive_partitioning = true)");
    }

    private String path(String bucket, String key) {
        return store.pathOf(new Location(bucket, key)).toString();
    }

    private static String sqlList(List<String> paths) {
        return paths.stream().map(p -> "'" + p.replace("'", "''") + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    private static List<String> query(List<String> setup, String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1");
            for (String step : setup) {
                statement.execute(step);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            rows.sort(Comparator.naturalOrder());
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + sql, e);
        }
    }
}
