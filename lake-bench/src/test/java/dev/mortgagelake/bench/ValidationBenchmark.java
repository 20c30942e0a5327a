package dev.mortgagelake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.event.EventCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code ./lake bench}: validation throughput and peak heap of the lake's validation against DuckDB
 * doing the same job on the same file, in the same run, in this JVM (start-up excluded). Prints one
 * JSON object per file size on stdout and a table on stderr. Run it with {@code -Xmx512m} to check
 * the memory target.
 *
 * <pre>
 * java -Xmx512m -cp ... dev.mortgagelake.bench.ValidationBenchmark [--rows 1000000,10000000] [--seed 42] [--work DIR]
 * </pre>
 */
public final class ValidationBenchmark {

    private static final ObjectMapper JSON = EventCodec.newMapper();

    private ValidationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = List.of(1_000_000L, 10_000_000L);
        long seed = 42;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "lake-bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> sizes = Stream.of(args[++i].split(",")).map(String::trim).map(Long::parseLong).toList();
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (use --rows N[,N...] --seed S --work DIR)");
            }
        }
        System.err.printf("JVM: %s, max heap %d MB, %d cores%n", System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        warmUp(work.resolve("warm-up"), seed);
        for (long rows : sizes) {
            System.out.println(JSON.writeValueAsString(compare(rows, seed, work.resolve("rows-" + rows))));
        }
    }

    /** Both engines on the same file; returns the figures as JSON. */
    static ObjectNode compare(long rows, long seed, Path work) throws Exception {
        delete(work);
        System.err.printf("Generating %,d rows ...%n", rows);
        BenchmarkFile.Described file = BenchmarkFile.write(work.resolve("input"), rows, seed);
        EngineResult lake;
        String lakeFailure = null;
        try {
            lake = LakeValidationEngine.run(file, work.resolve("lake-run"));
        } catch (OutOfMemoryError e) {
            // reported, not hidden: the file did not validate within this heap
            lake = null;
            lakeFailure = "OutOfMemoryError with -Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m: " + e.getMessage();
            System.gc();
        }
        delete(work.resolve("lake-run"));
        EngineResult duck = DuckDbEngine.run(file, work.resolve("duckdb-run"));
        delete(work.resolve("duckdb-run"));
        double gunzip = gunzipSeconds(file.path());

        ObjectNode out = JSON.createObjectNode();
        out.put("rows", file.dataLines());
        out.put("file_bytes", file.bytes());
        if (lake != null) {
            out.set("lake", figures(lake, file));
        } else {
            out.putObject("lake").put("failed", lakeFailure);
        }
        out.set("duckdb", figures(duck, file));
        ObjectNode floor = out.putObject("gunzip");
        floor.put("seconds", round(gunzip));
        floor.put("rows_per_second", Math.round(file.dataLines() / gunzip));
        floor.put("mb_per_second", round(file.bytes() / 1e6 / gunzip));
        if (lake != null) {
            out.put("lake_to_duckdb_throughput", round(duck.measurement().seconds() / lake.measurement().seconds()));
            out.put("lake_to_duckdb_cpu_efficiency", round(duck.measurement().cpuSeconds() / lake.measurement().cpuSeconds()));
            out.put("lake_to_gunzip", round(lake.measurement().seconds() / gunzip));
        }
        System.err.printf(Locale.ROOT, "%,d rows, %.1f MB gzip%n", file.dataLines(), file.bytes() / 1e6);
        if (lake == null) {
            System.err.println("  lake    FAILED: " + lakeFailure);
        }
        for (EngineResult r : lake == null ? List.of(duck) : List.of(lake, duck)) {
            System.err.printf(Locale.ROOT, "  %-7s %7.2f s  %,10.0f rows/s  %6.1f MB/s  peak heap %5d MB (live %4d MB)  cores busy %.2f  "
                            + "silver %,d  quarantined %,d  duplicates %,d  partitions %d%n",
                    r.engine(), r.measurement().seconds(), file.dataLines() / r.measurement().seconds(),
                    file.bytes() / 1e6 / r.measurement().seconds(), r.measurement().peakHeapBytes() >> 20,
                    r.measurement().peakLiveHeapBytes() >> 20, r.measurement().coresBusy(),
                    r.silver(), r.quarantined(), r.duplicates(), r.partitions());
        }
        System.err.printf(Locale.ROOT, "  gunzip  %7.2f s  %,10.0f rows/s  %6.1f MB/s  (single-threaded `gunzip -c` to /dev/null: the floor)%n",
                gunzip, file.dataLines() / gunzip, file.bytes() / 1e6 / gunzip);
        if (lake != null) {
            System.err.printf(Locale.ROOT, "  lake throughput / DuckDB throughput = %.2f; lake seconds / gunzip seconds = %.2f%n",
                    duck.measurement().seconds() / lake.measurement().seconds(), lake.measurement().seconds() / gunzip);
        }
        return out;
    }

    /** Runs of {@code gunzip} per file; the median is reported. */
    static final int GUNZIP_RUNS = 3;

    /**
     * The floor: wall seconds of single-threaded {@code gunzip -c FILE > /dev/null} (the median of
     * {@link #GUNZIP_RUNS} runs), in the same run as the engines, so the ratio shares their machine load.
     */
    static double gunzipSeconds(Path file) throws IOException, InterruptedException {
        double[] seconds = new double[GUNZIP_RUNS];
        for (int i = 0; i < GUNZIP_RUNS; i++) {
            long start = System.nanoTime();
            Process gunzip = new ProcessBuilder("gunzip", "-c", file.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            int exit = gunzip.waitFor();
            seconds[i] = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IOException("gunzip -c " + file + " exited with " + exit);
            }
        }
        java.util.Arrays.sort(seconds);
        return seconds[GUNZIP_RUNS / 2];
    }

    static ObjectNode figures(EngineResult r, BenchmarkFile.Described file) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seconds", round(r.measurement().seconds()));
        node.put("cpu_seconds", round(r.measurement().cpuSeconds()));
        node.put("rows_per_second", Math.round(file.dataLines() / r.measurement().seconds()));
        node.put("mb_per_second", round(file.bytes() / 1e6 / r.measurement().seconds()));
        node.put("peak_heap_mb", r.measurement().peakHeapBytes() >> 20);
        node.put("peak_live_heap_mb", r.measurement().peakLiveHeapBytes() >> 20);
        node.put("cores_busy", round(r.measurement().coresBusy()));
        node.put("rows_read", r.rowsRead());
        node.put("silver", r.silver());
        node.put("quarantined", r.quarantined());
        node.put("duplicates", r.duplicates());
        node.put("partitions", r.partitions());
        return node;
    }

    /** Rows of each warm-up validation, and how many the lake runs (DuckDB, compiled ahead of time, runs one). */
    static final int WARM_UP_ROWS = 200_000;
    static final int LAKE_WARM_UPS = 3;

    /**
     * Warms both engines up, unreported: the lake is measured as the long-running validation-service
     * runs it, with its hot code compiled by the JIT (the first file a JVM validates runs about twice
     * as slowly).
     */
    private static void warmUp(Path work, long seed) throws Exception {
        System.err.printf("Warming up (not reported): the lake on %d files of %,d rows, DuckDB on one ...%n", LAKE_WARM_UPS,
                WARM_UP_ROWS);
        delete(work);
        BenchmarkFile.Described file = BenchmarkFile.write(work.resolve("input"), WARM_UP_ROWS, seed);
        for (int i = 0; i < LAKE_WARM_UPS; i++) {
            LakeValidationEngine.run(file, work.resolve("lake-run-" + i));
            delete(work.resolve("lake-run-" + i));
        }
        DuckDbEngine.run(file, work.resolve("duckdb-run"));
        delete(work);
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
