package dev.mortgagelake.sparkreader;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Spark SQL session (local mode, Iceberg catalog {@code lake}) that answers queries on standard
 * input, one per line, with one line on standard output each: {@code OK <tab> row <tab> row ...}
 * (a row is its values joined by {@code |}, decimals in plain notation, null as {@code NULL}) or
 * {@code ERROR <tab> message}. Started once by a test and kept for all its queries, because a Spark
 * session takes seconds to start.
 *
 * <p>Configuration: every system property {@code lake.catalog.<key>} becomes the Iceberg catalog
 * property {@code <key>} of the Spark catalog {@code lake} (catalog-impl, uri, warehouse, io-impl,
 * s3.endpoint, ...), exactly the properties publish-service uses.
 */
public final class SparkSqlShell {

    private SparkSqlShell() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        // Spark logs to stdout by default in some set-ups: keep stdout for answers only
        System.setOut(System.err);
        SparkSession.Builder builder = SparkSession.builder()
                .appName("lake-spark-reader")
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.session.timeZone", "UTC")
                // timestamps come back as java.time.Instant (printed ISO-8601 UTC), not java.sql.Timestamp in the JVM's zone
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                .config("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog");
        Map<String, String> catalog = new TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("lake.catalog."))
                .forEach(name -> catalog.put(name.substring("lake.catalog.".length()), System.getProperty(name)));
        // a reader that sees each commit as soon as it is made: no cached table metadata (Iceberg's
        // CachingCatalog would answer from a table loaded up to 30 s earlier)
        catalog.putIfAbsent("cache-enabled", "false");
        catalog.forEach((key, value) -> builder.config("spark.sql.catalog.lake." + key, value));
        try (SparkSession spark = builder.getOrCreate()) {
            out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String sql = in.readLine(); sql != null; sql = in.readLine()) {
                if (sql.isBlank()) {
                    continue;
                }
                try {
                    List<Row> rows = spark.sql(sql).collectAsList();
                    StringBuilder answer = new StringBuilder("OK");
                    for (Row row : rows) {
                        answer.append('\t');
                        for (int i = 0; i < row.length(); i++) {
                            if (i > 0) {
                                answer.append('|');
                            }
                            answer.append(format(row.get(i)));
                        }
                    }
                    out.println(answer);
                } catch (Exception | LinkageError e) {
                    out.println("ERROR\t" + String.valueOf(e.getMessage()).replace('\n', ' ').replace('\t', ' '));
                }
            }
        }
    }

    private static String format(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString().replace('\t', ' ').replace('\n', ' ');
    }
}
