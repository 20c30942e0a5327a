package dev.mortgagelake.bench;

import dev.mortgagelake.validation.contract.CommonIsoCurrencies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Collectors;

/**
 * DuckDB doing the same job, as {@code performance.md} measured it: read the gzip CSV, classify each
 * row with the contract's rules (required, no surrounding whitespace, plain decimal with at most two
 * decimals and 16 integer digits, allowed upper-case currency, ISO-8601 timestamp with a zone), drop
 * exact duplicates, write valid rows as Parquet partitioned by UTC year/month (DECIMAL(18,2),
 * TIMESTAMP WITH TIME ZONE, snappy) and invalid rows with their raw values and a validation_error.
 */
final class DuckDbEngine {

    private DuckDbEngine() {
    }

    static EngineResult run(BenchmarkFile.Described file, Path work) throws Exception {
        Path silver = Files.createDirectories(work.resolve("duckdb/silver"));
        Path quarantine = Files.createDirectories(work.resolve("duckdb/quarantine")).resolve("invalid_rows.parquet");
        String currencies = CommonIsoCurrencies.CODES.stream().sorted().map(c -> "'" + c + "'").collect(Collectors.joining(","));
        String classify = """
                CREATE TEMP TABLE classified AS
                SELECT TransactionID, CustomerID, TransactionAmount, Currency, TransactionTimestamp,
                  concat_ws('; ',
                    CASE WHEN coalesce(TransactionID, '') = '' OR coalesce(CustomerID, '') = '' OR coalesce(TransactionAmount, '') = ''
                           OR coalesce(Currency, '') = '' OR coalesce(TransactionTimestamp, '') = '' THEN 'REQUIRED' END,
                    CASE WHEN TransactionID <> trim(TransactionID) OR CustomerID <> trim(CustomerID)
                           OR TransactionAmount <> trim(TransactionAmount) OR Currency <> trim(Currency)
                           OR TransactionTimestamp <> trim(TransactionTimestamp) THEN 'WHITESPACE' END,
                    CASE WHEN NOT regexp_full_match(trim(TransactionAmount), '-?0*[0-9]{1,16}(\\.[0-9]{1,2})?') THEN 'AMOUNT' END,
                    CASE WHEN trim(Currency) NOT IN (%s) THEN 'CURRENCY' END,
                    CASE WHEN NOT regexp_full_match(trim(TransactionTimestamp),
                               '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})')
                           OR TRY_CAST(TransactionTimestamp AS TIMESTAMPTZ) IS NULL THEN 'TIMESTAMP' END
                  ) AS validation_error
                FROM read_csv('%s', header = true, all_varchar = true, null_padding = true, delim = ',', quote = '"')
                """.formatted(currencies, file.path());
        String writeSilver = """
                COPY (
                  SELECT DISTINCT TransactionID AS transaction_id, CustomerID AS customer_id,
                         CAST(TransactionAmount AS DECIMAL(18,2)) AS transaction_amount, Currency AS currency,
                         CAST(TransactionTimestamp AS TIMESTAMPTZ) AS transaction_timestamp,
                         year(CAST(TransactionTimestamp AS TIMESTAMPTZ)) AS year, month(CAST(TransactionTimestamp AS TIMESTAMPTZ)) AS month
                  FROM classified WHERE validation_error = ''
                ) TO '%s' (FORMAT PARQUET, COMPRESSION SNAPPY, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE)
                """.formatted(silver);
        String writeQuarantine = """
                COPY (SELECT * FROM classified WHERE validation_error <> '') TO '%s' (FORMAT PARQUET, COMPRESSION SNAPPY)
                """.formatted(quarantine);

        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement sql = connection.createStatement()) {
            sql.execute("SET TimeZone = 'UTC'");
            Measurement.Measured<long[]> measured = Measurement.of(() -> {
                sql.execute(classify);
                sql.execute(writeSilver);
                sql.execute(writeQuarantine);
                return counts(sql);
            });
            long[] c = measured.result();
            return new EngineResult("duckdb", c[0], c[1], c[2], c[3], c[4], measured.measurement());
        }
    }

    /** rows read, distinct valid rows, invalid rows, duplicate valid rows dropped, partitions. */
    private static long[] counts(Statement sql) throws Exception {
        try (ResultSet rows = sql.executeQuery("""
                SELECT count(*),
                       (SELECT count(*) FROM (SELECT DISTINCT * EXCLUDE (validation_error) FROM classified WHERE validation_error = '')),
                       count(*) FILTER (WHERE validation_error <> ''),
                       count(*) FILTER (WHERE validation_error = '')
                         - (SELECT count(*) FROM (SELECT DISTINCT * EXCLUDE (validation_error) FROM classified WHERE validation_error = '')),
                       (SELECT count(DISTINCT strftime(CAST(TransactionTimestamp AS TIMESTAMPTZ), '%Y-%m')) FROM classified WHERE validation_error = '')
                FROM classified""")) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)};
        }
    }
}
