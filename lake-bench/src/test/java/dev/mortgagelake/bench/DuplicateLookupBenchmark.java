package dev.mortgagelake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.SilverChangeListener;
import dev.mortgagelake.publish.audit.AuditPolicy;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.retry.CondemnationPolicy;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.validation.contract.ContractV1;
import dev.mortgagelake.validation.contract.RowErrorCode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The cost of finding duplicates against rows already published in Silver: the same file validated by
 * {@link dev.mortgagelake.validation.RunValidator} (the code validation-service runs) once against a
 * lake with P published rows and once against an empty lake, in this JVM (start-up excluded). The
 * difference is what the published rows cost: streaming the published-row index
 * ({@link dev.mortgagelake.validation.duplicate.PublishedRowIndex}) into the run's seen-id filter, and
 * again for the shards of the rows the filter cannot clear.
 *
 * <p>For each P:
 * <ol>
 *   <li>The published lake: P rows in {@code --published-runs} seeded files (no invalid rows, no
 *       duplicates, each file its own id space), each validated and promoted by {@link RunPromotion}
 *       (audit gate off, so no run is held); every row must reach Silver and every run the table.</li>
 *   <li>The incoming file: {@code --rows} rows of the standard benchmark file (2% invalid, 0.5% exact
 *       duplicate lines; ids in an id space no published row uses) of which 1% are replaced by exact
 *       copies of published rows and 0.2% by published rows with the same {@code TransactionID} and
 *       another amount, picked at random and spread evenly over the file.</li>
 *   <li>That file validated in the published lake and in an empty lake, {@code --repeat} times each
 *       (alternating which goes first; every repetition is a new run), each measured
 *       ({@link Measurement}); the figures are those of the median repetition by wall time. Every
 *       outcome must be exactly what was planted: condemned = exact copies
 *       + in-file duplicates of valid lines (empty lake: the in-file duplicates only);
 *       {@code DUPLICATE_ID_CONFLICT} = the planted conflicts (empty lake: none). Otherwise the
 *       figures are printed and the benchmark fails.</li>
 * </ol>
 * Prints one JSON object per P on stdout and a table on stderr.
 *
 * <pre>
 * ./lake bench --published 0,1000000,10000000     (or, directly:)
 * java -Xmx512m -cp ... dev.mortgagelake.bench.DuplicateLookupBenchmark [--published 10000000 | 0,1000000,10000000]
 *     [--rows 1000000] [--published-runs 1] [--repeat 3] [--seed 42] [--work DIR]
 * </pre>
 */
public final class DuplicateLookupBenchmark {

    /** Share of the incoming rows that are exact copies of published rows. */
    static final double EXACT_COPY_FRACTION = 0.01;
    /** Share of the incoming rows that reuse a published {@code TransactionID} with another amount. */
    static final double ID_CONFLICT_FRACTION = 0.002;
    /** The incoming file's generated rows use this id space; published runs use 0, 1, ... */
    private static final int INCOMING_ID_SPACE = 99;
    private static final int MAX_PUBLISHED_RUNS = 90;

    private static final String ID_CONFLICT = RowErrorCode.DUPLICATE_ID_CONFLICT.name();
    private static final String DUPLICATE_EXACT = CondemnationPolicy.Reason.DUPLICATE_EXACT.name();
    private static final ObjectMapper JSON = EventCodec.newMapper();

    private DuplicateLookupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> published = List.of(10_000_000L);
        long rows = 1_000_000;
        int runs = 1;
        int repeat = 3;
        long seed = 42;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "lake-bench-lookup");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--published" -> published = Stream.of(args[++i].split(",")).map(String::trim).map(Long::parseLong).toList();
                case "--rows" -> rows = Long.parseLong(args[++i]);
                case "--published-runs" -> runs = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (use --published N[,N...] --rows N --published-runs K --repeat R --seed S --work DIR)");
            }
        }
        System.err.printf("JVM: %s, max heap %d MB, %d cores%n", System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        System.err.println("Warming up on 20,000 published and 50,000 incoming rows (not reported) ...");
        compare(20_000, 1, 50_000, 2, seed, work.resolve("warm-up"), nowhere());
        ValidationBenchmark.delete(work.resolve("warm-up"));
        List<String> failures = new ArrayList<>();
        for (long p : published) {
            Path dir = work.resolve("published-" + p);
            Comparison comparison = compare(p, runs, rows, repeat, seed, dir, System.err);
            System.out.println(JSON.writeValueAsString(comparison.toJson()));
            comparison.print(System.err);
            failures.addAll(comparison.mismatches().stream().map(m -> p + " published: " + m).toList());
            ValidationBenchmark.delete(dir);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("The validations did not find exactly what was planted: " + failures);
        }
    }

    /**
     * One published size: builds the published lake, writes the incoming file, validates it in the
     * published lake and in an empty lake, {@code repeat} times each. {@code work} is emptied first.
     */
    static Comparison compare(long published, int runs, long rows, int repeat, long seed, Path work, PrintStream progress)
            throws Exception {
        if (published < 0 || rows < 0 || repeat < 1 || runs < 1 || runs > MAX_PUBLISHED_RUNS || (published > 0 && published < runs)) {
            throw new IllegalArgumentException("Need published >= 0, rows >= 0, repeat >= 1, 1 <= runs <= " + MAX_PUBLISHED_RUNS
                    + " and at least one row per run: " + published + ", " + rows + ", " + repeat + ", " + runs);
        }
        ValidationBenchmark.delete(work);
        long start = System.nanoTime();
        List<BenchmarkFile.Described> publishedFiles = published == 0 ? List.of() : publish(published, runs, seed, work, progress);
        double buildSeconds = (System.nanoTime() - start) / 1e9;

        long copies = Math.round(rows * EXACT_COPY_FRACTION);
        long conflicts = Math.round(rows * ID_CONFLICT_FRACTION);
        if (published == 0) {
            copies = 0;
            conflicts = 0;
        } else if (copies + conflicts > published) {
            throw new IllegalArgumentException("Cannot plant " + (copies + conflicts) + " published rows: only " + published
                    + " are published");
        }
        List<String> planted = plant(publishedFiles, published, copies, conflicts, seed);
        progress.printf(Locale.ROOT, "Writing %,d incoming rows (%,d exact copies and %,d id conflicts of published rows) ...%n",
                rows, copies, conflicts);
        BenchmarkFile.Described incoming = BenchmarkFile.write(work.resolve("input/incoming.csv.gz"),
                new BenchmarkFile.Spec(rows - planted.size(), seed + 1000, BenchmarkFile.INVALID_FRACTION,
                        BenchmarkFile.DUPLICATE_FRACTION, INCOMING_ID_SPACE, planted));

        Repetitions againstPublished = new Repetitions(new FileSystemObjectStore(work.resolve("lake")));
        Repetitions againstEmpty = new Repetitions(new FileSystemObjectStore(work.resolve("empty-lake")));
        for (int i = 0; i < repeat; i++) {
            // alternate the order, so that neither lake always runs right after the other's garbage
            for (Repetitions lake : i % 2 == 0 ? List.of(againstPublished, againstEmpty) : List.of(againstEmpty, againstPublished)) {
                progress.printf(Locale.ROOT, "Validating %,d rows against %s (%d of %d) ...%n", incoming.dataLines(),
                        lake == againstPublished ? String.format(Locale.ROOT, "%,d published rows", published) : "an empty lake",
                        i + 1, repeat);
                lake.validate(incoming, work.resolve("staging"));
            }
        }
        return new Comparison(published, runs, buildSeconds, incoming, copies, conflicts, againstPublished.outcome(),
                againstEmpty.outcome());
    }

    /** Validates, promotes and checks the published runs; returns their files. */
    private static List<BenchmarkFile.Described> publish(long published, int runs, long seed, Path work, PrintStream progress)
            throws Exception {
        FileSystemObjectStore lake = new FileSystemObjectStore(work.resolve("lake"));
        RunPromotion promotion = new RunPromotion(lake, LakeValidationEngine.LAYOUT, ContractV1.SCHEMA_VERSION, CommitPolicy.DEFAULT,
                AuditPolicy.DISABLED, SilverChangeListener.NONE, Clock.fixed(LakeValidationEngine.NOW, ZoneOffset.UTC));
        List<BenchmarkFile.Described> files = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            long share = published * (k + 1) / runs - published * k / runs;
            progress.printf(Locale.ROOT, "Publishing %,d rows (run %d of %d) ...%n", share, k + 1, runs);
            BenchmarkFile.Described file = BenchmarkFile.write(work.resolve("input/published-" + k + ".csv.gz"),
                    new BenchmarkFile.Spec(share, seed + k, 0, 0, k, List.of()));
            RunValidated run = LakeValidationEngine.validate(file, lake, work.resolve("staging")).result();
            if (!run.counts().equals(new RunValidated.Counts(share, share, 0, 0))) {
                throw new IllegalStateException("Published run " + k + " should put all " + share + " rows in Silver: " + run.counts());
            }
            RunPromotion.Decision decision = promotion.promote(run);
            if (!decision.isPromoted() || decision.promoted().rows() != share) {
                throw new IllegalStateException("Run " + run.runId() + " was not promoted with its " + share + " rows: "
                        + decision.status() + " " + decision.failures());
            }
            files.add(file);
        }
        long inTable = promotion.log().current().partitions().values().stream().flatMap(List::stream)
                .mapToLong(DataFile::rows).sum();
        if (inTable != published) {
            throw new IllegalStateException("The Silver table holds " + inTable + " rows, not " + published);
        }
        return files;
    }

    /**
     * Picks {@code copies + conflicts} distinct published rows at random: the first {@code copies} as
     * they are, the rest with the amount raised by 1.00 (still valid, other content, same id); in a
     * seeded random order.
     */
    private static List<String> plant(List<BenchmarkFile.Described> files, long published, long copies, long conflicts, long seed)
            throws IOException {
        int wanted = Math.toIntExact(copies + conflicts);
        SplittableRandom random = new SplittableRandom(seed ^ 0x243F6A8885A308D3L);
        Set<Long> picked = new LinkedHashSet<>();
        while (picked.size() < wanted) {
            picked.add(random.nextLong(published));
        }
        Map<Long, String> lines = new HashMap<>();
        long first = 0;
        for (BenchmarkFile.Described file : files) {
            long last = first + file.dataLines();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file.path()),
                    1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
                in.readLine(); // header
                for (long row = first; row < last; row++) {
                    String line = in.readLine();
                    if (picked.contains(row)) {
                        lines.put(row, line);
                    }
                }
            }
            first = last;
        }
        List<String> planted = new ArrayList<>(wanted);
        for (long row : picked) {
            String line = lines.get(row);
            planted.add(planted.size() < copies ? line : withOtherAmount(line));
        }
        for (String line : planted) {
            if (!BenchmarkFile.passesContract(line)) {
                throw new IllegalStateException("A planted line does not pass the contract: " + line);
            }
        }
        Collections.shuffle(planted, new Random(seed));
        return planted;
    }

    /** The same row with its amount raised by 1.00: another content for the same TransactionID. */
    private static String withOtherAmount(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != ContractV1.COLUMNS.size() || line.indexOf('"') >= 0) {
            throw new IllegalStateException("Not a plain valid generator line: " + line);
        }
        fields[ContractV1.IDX_TRANSACTION_AMOUNT] = new BigDecimal(fields[ContractV1.IDX_TRANSACTION_AMOUNT]).add(BigDecimal.ONE)
                .toPlainString();
        return String.join(",", fields);
    }

    /** The validations of the incoming file in one lake; after an OutOfMemoryError, no more. */
    private static final class Repetitions {
        private final FileSystemObjectStore lake;
        private final List<RunValidated> runs = new ArrayList<>();
        private final List<EngineResult> figures = new ArrayList<>();
        private String failure;

        Repetitions(FileSystemObjectStore lake) {
            this.lake = lake;
        }

        void validate(BenchmarkFile.Described file, Path staging) throws Exception {
            if (failure != null) {
                return;
            }
            try {
                Measurement.Measured<RunValidated> measured = LakeValidationEngine.validate(file, lake, staging);
                runs.add(measured.result());
                figures.add(LakeValidationEngine.result(measured));
            } catch (OutOfMemoryError e) {
                // reported, not hidden: the file did not validate within this heap
                System.gc();
                failure = "OutOfMemoryError with -Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m: " + e.getMessage();
            }
        }

        Outcome outcome() {
            if (failure != null) {
                return new Outcome(List.of(), null, List.of(), failure);
            }
            List<EngineResult> bySeconds = new ArrayList<>(figures);
            bySeconds.sort(Comparator.comparingDouble(r -> r.measurement().seconds()));
            return new Outcome(runs, bySeconds.get((bySeconds.size() - 1) / 2),
                    figures.stream().map(r -> ValidationBenchmark.round(r.measurement().seconds())).toList(), null);
        }
    }

    /**
     * The validations of the incoming file in one lake: every repetition's run, the figures of the
     * median one by wall time and each one's seconds; or why it failed.
     */
    record Outcome(List<RunValidated> runs, EngineResult figures, List<Double> secondsEach, String failure) {

        boolean ran() {
            return failure == null;
        }

        /** The first repetition's run (every repetition is checked against the plant). */
        RunValidated run() {
            return runs.get(0);
        }

        static long idConflicts(RunValidated run) {
            return run.quarantine() == null ? 0 : run.quarantine().errorCounts().getOrDefault(ID_CONFLICT, 0L);
        }

        static long condemnedAsExactDuplicates(RunValidated run) {
            return run.condemned() == null ? 0 : run.condemned().reasonCounts().getOrDefault(DUPLICATE_EXACT, 0L);
        }
    }

    /** The incoming file against P published rows and against none. */
    record Comparison(long published, int publishedRuns, double buildSeconds, BenchmarkFile.Described file, long exactCopies,
                      long idConflicts, Outcome againstPublished, Outcome againstEmpty) {

        /** How the outcomes differ from what was planted; empty when they match exactly. */
        List<String> mismatches() {
            List<String> out = new ArrayList<>();
            long inFile = file.validDuplicateLines();
            check(out, "published", againstPublished, exactCopies + inFile, idConflicts);
            check(out, "empty", againstEmpty, inFile, 0);
            if (againstPublished.ran() && againstEmpty.ran()) {
                long lessSilver = againstEmpty.run().counts().silver() - againstPublished.run().counts().silver();
                if (lessSilver != exactCopies + idConflicts) {
                    out.add("Silver rows fewer by " + lessSilver + " against the published rows, expected " + (exactCopies + idConflicts));
                }
            }
            return out;
        }

        private void check(List<String> out, String lake, Outcome outcome, long condemned, long conflicts) {
            for (RunValidated run : outcome.runs()) {
                RunValidated.Counts counts = run.counts();
                if (!counts.balanced() || counts.rowsRead() != file.dataLines()) {
                    out.add(lake + ": read " + counts + " of " + file.dataLines() + " data lines");
                }
                if (counts.condemned() != condemned || Outcome.condemnedAsExactDuplicates(run) != condemned) {
                    out.add(lake + ": condemned " + counts.condemned() + " (" + Outcome.condemnedAsExactDuplicates(run) + " "
                            + DUPLICATE_EXACT + "), expected " + condemned);
                }
                if (Outcome.idConflicts(run) != conflicts) {
                    out.add(lake + ": " + Outcome.idConflicts(run) + " " + ID_CONFLICT + ", expected " + conflicts);
                }
                if (run.counts().silver() != outcome.run().counts().silver()) {
                    out.add(lake + ": the repetitions differ: " + run.counts() + " and " + outcome.run().counts());
                }
            }
        }

        /** Seconds the published rows added to the validation, or NaN when one of the runs failed. */
        double extraSeconds() {
            return againstPublished.ran() && againstEmpty.ran()
                    ? againstPublished.figures().measurement().seconds() - againstEmpty.figures().measurement().seconds()
                    : Double.NaN;
        }

        ObjectNode toJson() {
            ObjectNode out = JSON.createObjectNode();
            out.put("published_rows", published);
            out.put("published_runs", publishedRuns);
            out.put("publish_seconds", ValidationBenchmark.round(buildSeconds));
            out.put("rows", file.dataLines());
            out.put("file_bytes", file.bytes());
            out.put("planted_exact_copies", exactCopies);
            out.put("planted_id_conflicts", idConflicts);
            out.put("in_file_exact_duplicates", file.validDuplicateLines());
            out.set("against_published", figures(againstPublished));
            out.set("against_empty", figures(againstEmpty));
            double extra = extraSeconds();
            if (!Double.isNaN(extra)) {
                Measurement withPublished = againstPublished.figures().measurement();
                Measurement empty = againstEmpty.figures().measurement();
                double extraCpu = withPublished.cpuSeconds() - empty.cpuSeconds();
                out.put("extra_seconds", ValidationBenchmark.round(extra));
                out.put("extra_cpu_seconds", ValidationBenchmark.round(extraCpu));
                if (published > 0) {
                    out.put("extra_seconds_per_million_published", ValidationBenchmark.round(extra / (published / 1e6)));
                    out.put("extra_cpu_seconds_per_million_published", ValidationBenchmark.round(extraCpu / (published / 1e6)));
                } else {
                    out.putNull("extra_seconds_per_million_published");
                    out.putNull("extra_cpu_seconds_per_million_published");
                }
                out.put("extra_peak_heap_mb", (withPublished.peakHeapBytes() - empty.peakHeapBytes()) >> 20);
                out.put("extra_peak_live_heap_mb", (withPublished.peakLiveHeapBytes() - empty.peakLiveHeapBytes()) >> 20);
            }
            List<String> mismatches = mismatches();
            out.put("planted_found_exactly", mismatches.isEmpty());
            if (!mismatches.isEmpty()) {
                out.putPOJO("mismatches", mismatches);
            }
            return out;
        }

        private ObjectNode figures(Outcome outcome) {
            if (!outcome.ran()) {
                ObjectNode failed = JSON.createObjectNode();
                failed.put("failed", outcome.failure());
                return failed;
            }
            ObjectNode node = ValidationBenchmark.figures(outcome.figures(), file);
            node.put("id_conflicts", Outcome.idConflicts(outcome.run()));
            node.putPOJO("seconds_each", outcome.secondsEach());
            return node;
        }

        void print(PrintStream err) {
            err.printf(Locale.ROOT, "%,d published rows (%d run%s, built in %.1f s); incoming %,d rows, %.1f MB gzip: %,d exact copies"
                            + " and %,d id conflicts of published rows planted, %,d in-file exact duplicates%n",
                    published, publishedRuns, publishedRuns == 1 ? "" : "s", buildSeconds, file.dataLines(), file.bytes() / 1e6,
                    exactCopies, idConflicts, file.validDuplicateLines());
            err.printf("  %-16s %8s %8s %12s %18s %6s %10s %11s %9s %12s %s%n", "lake (median)", "seconds", "CPU s", "rows/s", "peak heap (live)",
                    "cores", "silver", "quarantined", "condemned", "id conflicts", "  seconds of each repetition");
            row(err, "published", againstPublished);
            row(err, "empty", againstEmpty);
            double extra = extraSeconds();
            if (!Double.isNaN(extra)) {
                Measurement withPublished = againstPublished.figures().measurement();
                Measurement empty = againstEmpty.figures().measurement();
                double extraCpu = withPublished.cpuSeconds() - empty.cpuSeconds();
                err.printf(Locale.ROOT, "  published rows cost %+.2f s (%s per million published rows), CPU %+.2f s (%s per million),"
                                + " peak heap %+d MB (live %+d MB)%n",
                        extra, perMillion(extra), extraCpu, perMillion(extraCpu),
                        (withPublished.peakHeapBytes() - empty.peakHeapBytes()) >> 20,
                        (withPublished.peakLiveHeapBytes() - empty.peakLiveHeapBytes()) >> 20);
            }
            List<String> mismatches = mismatches();
            err.println(mismatches.isEmpty() ? "  planted duplicates and conflicts found exactly" : "  MISMATCH: " + mismatches);
        }

        private String perMillion(double seconds) {
            return published == 0 ? "n/a" : String.format(Locale.ROOT, "%+.2f s", seconds / (published / 1e6));
        }

        private void row(PrintStream err, String lake, Outcome outcome) {
            if (!outcome.ran()) {
                err.printf("  %-16s FAILED: %s%n", lake, outcome.failure());
                return;
            }
            Measurement m = outcome.figures().measurement();
            RunValidated.Counts counts = outcome.run().counts();
            err.printf(Locale.ROOT, "  %-16s %8.2f %8.2f %,12.0f %9d MB (%4d) %6.2f %,10d %,11d %,9d %,12d   %s%n", lake, m.seconds(), m.cpuSeconds(),
                    file.dataLines() / m.seconds(), m.peakHeapBytes() >> 20, m.peakLiveHeapBytes() >> 20, m.coresBusy(),
                    counts.silver(), counts.quarantined(), counts.condemned(), Outcome.idConflicts(outcome.run()),
                    outcome.secondsEach());
        }
    }

    private static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
