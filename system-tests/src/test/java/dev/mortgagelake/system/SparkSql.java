package dev.mortgagelake.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Apache Spark (local mode, Iceberg's Spark runtime) in a child JVM: an engine nobody here wrote,
 * reading the lake's Iceberg tables through the same catalog and S3 endpoint as publish-service.
 * Started once per test class (a Spark session takes seconds to start) from the spark-reader module's
 * build; each {@link #query} sends one SQL line and reads one answer line (see SparkSqlShell).
 */
final class SparkSql implements AutoCloseable {

    /** What Spark needs opened on Java 17 (what spark-submit adds by itself). */
    private static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
            "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs",
            "sun.security.action", "sun.util.calendar");

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private SparkSql(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts Spark with the Iceberg catalog {@code lake} opened by {@code catalog} (Iceberg catalog properties). */
    static SparkSql start(Path projectRoot, Map<String, String> catalog, Path log) {
        Path module = projectRoot.resolve("spark-reader/target");
        try {
            String classpath = module.resolve("classes") + java.io.File.pathSeparator
                    + Files.readString(module.resolve("spark-classpath.txt")).trim();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx768m");
            OPENS.forEach(pkg -> command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED"));
            command.add("-Djdk.reflect.useDirectMethodHandle=false");
            // exactly the properties ./lake up prints for engines
            catalog.forEach((key, value) -> command.add("-Dlake.catalog." + key + "=" + value));
            command.addAll(Arrays.asList("-cp", classpath, "dev.mortgagelake.sparkreader.SparkSqlShell"));
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            SparkSql spark = new SparkSql(process);
            String ready = spark.out.readLine();
            if (!"READY".equals(ready)) {
                process.destroyForcibly();
                throw new IllegalStateException("Spark did not start (" + ready + "); see " + log + ":\n" + tail(log));
            }
            return spark;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Spark from " + module + " (build it: ./mvnw package -pl spark-reader)", e);
        }
    }

    /** The rows of {@code sql}, each as its values joined by {@code |}. */
    synchronized List<String> query(String sql) {
        try {
            in.write(sql.replace('\n', ' ') + "\n");
            in.flush();
            String answer = out.readLine();
            if (answer == null) {
                throw new IllegalStateException("Spark exited");
            }
            String[] parts = answer.split("\t", -1);
            if (!"OK".equals(parts[0])) {
                throw new IllegalStateException("Spark failed on " + sql + ": " + answer);
            }
            return List.of(parts).subList(1, parts.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The single value of a one-row, one-column query. */
    String value(String sql) {
        List<String> rows = query(sql);
        if (rows.size() != 1) {
            throw new IllegalStateException(sql + " gave " + rows.size() + " rows");
        }
        return rows.get(0);
    }

    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
