package dev.mortgagelake.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.event.EventCodec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ./lake} command line. Machine-readable results go to stdout as JSON; progress and
 * logs go to stderr. Commands, options and JSON fields are a stable interface (see the README).
 */
@Command(name = "lake", mixinStandardHelpOptions = true, version = "mortgage-lake 0.1.0",
        description = "Run the mortgage lake locally on embedded SQS and S3 servers (no Docker, no AWS account).",
        subcommands = {LakeCommand.Demo.class, LakeCommand.Up.class, LakeCommand.Down.class, LakeCommand.Land.class,
                ValidateFile.class, ApplyTopology.class, LakeCommand.Bench.class, LakeCommand.Serve.class, LakeCommand.Chaos.class})
public final class LakeCommand {

    static final ObjectMapper JSON = EventCodec.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--project", description = "The checkout holding the built services (default: current directory).",
            defaultValue = ".", scope = CommandLine.ScopeType.INHERIT)
    Path project;

    public static void main(String[] args) {
        quietLibraries();
        System.exit(new CommandLine(new LakeCommand()).execute(args));
    }

    /** The embedded servers' libraries log every start-up step at INFO; the command line shows their warnings only. */
    private static void quietLibraries() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        }
        for (String noisy : new String[] {"org.apache.pekko", "org.elasticmq", "org.apache.parquet", "org.apache.hadoop"}) {
            java.util.logging.Logger.getLogger(noisy).setLevel(java.util.logging.Level.WARNING);
            QUIETED.add(java.util.logging.Logger.getLogger(noisy));
        }
    }

    /** Strong references, so the configured loggers are not garbage-collected with their levels. */
    private static final List<java.util.logging.Logger> QUIETED = new ArrayList<>();

    Path workDir() {
        return project.toAbsolutePath().normalize().resolve(".lake");
    }

    static void printJson(Object value) {
        try {
            System.out.println(JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PrintStream progress() {
        return System.err;
    }

    @Command(name = "chaos", description = "Start the lake behind S3 and SQS fault proxies, land generated files (mixed sizes, bad "
            + "rows, exact duplicates, re-landed files, a backfill, a retry cycle with changed reference data) while killing random "
            + "services (SIGKILL) and restarting them, injecting S3 faults and duplicating deliveries; when the lake is quiet, audit "
            + "its invariants and print one JSON summary. Exit 1 on any violation.")
    static final class Chaos implements Callable<Integer> {

        @CommandLine.ParentCommand
        LakeCommand parent;

        @Option(names = "--files", defaultValue = "30", description = "Files to land (default ${DEFAULT-VALUE}).")
        int files;

        @Option(names = "--kills", defaultValue = "20", description = "Services to kill in all (default ${DEFAULT-VALUE}).")
        int kills;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the files, kills and faults (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--s3-faults", defaultValue = "0.02", description = "Probability that an S3 request of a service fails "
                + "(503 SlowDown, 500, reset before or after the server acted, slow answer) (default ${DEFAULT-VALUE}).")
        double s3Faults;

        @Option(names = "--duplicate-deliveries", defaultValue = "0.05", description = "Probability that a message (a landing "
                + "notification, an event a service sends) is delivered twice, up to a few seconds apart (default ${DEFAULT-VALUE}).")
        double duplicateDeliveries;

        @Option(names = "--quiet-timeout", defaultValue = "PT15M", description = "How long to wait for the lake to be quiet after "
                + "the last kill (ISO-8601, default ${DEFAULT-VALUE}).")
        Duration quietTimeout;

        @Override
        public Integer call() throws Exception {
            Path root = parent.project.toAbsolutePath().normalize();
            dev.mortgagelake.local.chaos.ChaosRun run = new dev.mortgagelake.local.chaos.ChaosRun(root, parent.workDir().resolve("chaos"),
                    new dev.mortgagelake.local.chaos.ChaosRun.Options(files, kills, seed, s3Faults, duplicateDeliveries, quietTimeout));
            ObjectNode summary = run.run();
            printJson(summary);
            return dev.mortgagelake.local.chaos.ChaosRun.passed(summary) ? 0 : 1;
        }
    }

    @Command(name = "demo", description = "Start everything, land a generated sample file with some bad rows, wait for "
            + "run-promoted, print what happened, stop everything.")
    static final class Demo implements Callable<Integer> {

        @CommandLine.ParentCommand
        LakeCommand parent;

        @Option(names = "--rows", defaultValue = "1000", description = "Rows in the sample file (default ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample generator (default ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            Path work = parent.workDir();
            Files.createDirectories(work);
            Path sample = SampleFiles.write(work.resolve("samples"), rows, seed);
            progress().println("Starting embedded SQS and S3 servers and the four services ...");
            Instant started = Instant.now();
            try (LocalLake lake = LocalLake.start(parent.project, work, Map.of())) {
                progress().printf("Lake up in %d ms. Operator console: %s (while the demo runs; `./lake up` keeps it). Landing %s%n",
                        Duration.between(started, Instant.now()).toMillis(), lake.console(), sample);
                try (LakeClient client = lake.client()) {
                    Instant landedAt = Instant.now();
                    LandedFile landed = client.land(sample);
                    RunOutcome outcome = client.awaitOutcome(landed, Duration.ofSeconds(60));
                    progress().printf("%s in %d ms after landing.%n", outcome.outcome(),
                            Duration.between(landedAt, Instant.now()).toMillis());
                    describe(outcome);
                    printJson(outcome);
                    return "PROMOTED".equals(outcome.outcome()) ? 0 : 1;
                }
            } finally {
                progress().println("Stopped the services and servers. Logs: " + work.resolve("logs"));
            }
        }

        private static void describe(RunOutcome outcome) {
            PrintStream out = progress();
            out.println("run_id       " + outcome.runId());
            out.println("rows         " + outcome.rows());
            out.println("errors       " + outcome.errorCounts());
            out.println("bronze       " + outcome.bronze());
            outcome.silver().forEach(s -> out.println("silver       " + s));
            out.println("quarantine   " + outcome.quarantine());
            out.println("_LATEST.json " + outcome.latest());
        }
    }

    @Command(name = "up", description = "Start the lake in the background; print endpoints, credentials and service URLs, "
            + "and write them as shell exports to .lake/env.")
    static final class Up implements Callable<Integer> {

        @CommandLine.ParentCommand
        LakeCommand parent;

        @Override
        public Integer call() throws Exception {
            Path work = parent.workDir();
            Files.createDirectories(work.resolve("logs"));
            Optional<LakeEndpoints> running = LocalLakeState.runningEndpoints(work);
            if (running.isPresent()) {
                progress().println("The lake is already up (pid " + LocalLakeState.pid(work).orElse(-1L) + "). Operator console: "
                        + running.get().services().get(LocalLake.CONSOLE));
                printJson(running.get());
                return 0;
            }
            LocalLakeState.clear(work);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LakeCommand.class.getName(),
                    "--project", parent.project.toAbsolutePath().toString(), "serve"));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(work.resolve("logs/lake.log").toFile()))
                    .start();
            progress().println("Starting the lake in the background (pid " + process.pid() + ", log .lake/logs/lake.log) ...");
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (Instant.now().isBefore(deadline)) {
                Optional<LakeEndpoints> endpoints = LocalLakeState.runningEndpoints(work);
                if (endpoints.isPresent()) {
                    progress().println("The lake is up. `source .lake/env` points the AWS CLI at it; `./lake down` stops it.");
                    progress().println("Operator console: " + endpoints.get().services().get(LocalLake.CONSOLE)
                            + " (sign in as olivia, quinn, rita, sam or fiona; password <name>-demo)");
                    printJson(endpoints.get());
                    return 0;
                }
                if (!process.isAlive()) {
                    progress().println("The lake failed to start; see .lake/logs/lake.log:");
                    progress().println(Files.readString(work.resolve("logs/lake.log"), StandardCharsets.UTF_8));
                    return 1;
                }
                Thread.sleep(250);
            }
            process.destroy();
            progress().println("The lake did not come up within 3 minutes; see .lake/logs/lake.log");
            return 1;
        }
    }

    @Command(name = "down", description = "Stop the lake started by `up`.")
    static final class Down implements Callable<Integer> {

        @CommandLine.ParentCommand
        LakeCommand parent;

        @Override
        public Integer call() throws Exception {
            Path work = parent.workDir();
            Optional<ProcessHandle> process = LocalLakeState.pid(work).flatMap(ProcessHandle::of);
            if (process.isEmpty()) {
                LocalLakeState.clear(work);
                progress().println("The lake is not running.");
                return 0;
            }
            process.get().destroy();
            try {
                process.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                process.get().destroyForcibly();
            }
            LocalLakeState.clear(work);
            progress().println("The lake is down.");
            return 0;
        }
    }

    @Command(name = "land", description = "Land FILE into the running lake and print its outcome (JSON) once it has one.")
    static final class Land implements Callable<Integer> {

        @CommandLine.ParentCommand
        LakeCommand parent;

        @Parameters(paramLabel = "FILE", description = "A CSV or CSV.gz file of mortgage transactions.")
        Path file;

        @Option(names = "--key", description = "Landing key (default: incoming/<file name>).")
        String key;

        @Option(names = "--timeout", defaultValue = "PT2M", description = "How long to wait for an outcome (ISO-8601, default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                progress().println("No such file: " + file);
                return 2;
            }
            Optional<LakeEndpoints> endpoints = LocalLakeState.runningEndpoints(parent.workDir());
            if (endpoints.isEmpty()) {
                progress().println("The lake is not running: start it with ./lake up");
                return 2;
            }
            try (LakeClient client = LakeClient.connect(endpoints.get())) {
                LandedFile landed = key == null ? client.land(file) : client.land(file, key);
                RunOutcome outcome = client.awaitOutcome(landed, timeout);
                printJson(outcome);
                return "TIMED_OUT".equals(outcome.outcome()) ? 1 : 0;
            }
        }
    }

    @Command(name = "bench", description = "Benchmark validation against DuckDB on seeded files (default 1M and 10M rows): "
            + "rows/s, MB/s, peak heap and the throughput ratio, one JSON object per size on stdout. Runs in a JVM with -Xmx512m. "
            + "With --published: the cost of duplicate detection against that many published rows instead.")
    static final class Bench implements Callable<Integer> {

        @CommandLine.ParentCommand
        LakeCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--rows", defaultValue = "1000000,10000000", description = "Comma-separated row counts (default ${DEFAULT-VALUE}).")
        String rows;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--heap", defaultValue = "512m", description = "Maximum heap of the benchmark JVM (default ${DEFAULT-VALUE}).")
        String heap;

        @Option(names = "--published", description = "Comma-separated published-row counts (e.g. 0,10000000): validate one "
                + "file of --rows rows (one count; 1%% exact copies and 0.2%% id conflicts of published rows planted) against a lake "
                + "with that many rows published and against an empty lake.")
        String published;

        @Option(names = "--system", description = "Benchmark the running system instead: latency of small files from landing to "
                + "run-promoted and Gold, sustained throughput, and scale-out with 2 instances of validation-service and "
                + "publish-service (one JSON object on stdout).")
        boolean system;

        @Option(names = "--warm-up-files", defaultValue = "10", description = "--system: small files landed before the latency "
                + "samples, unreported (default ${DEFAULT-VALUE}).")
        int warmUpFiles;

        @Option(names = "--latency-files", defaultValue = "100", description = "--system: small files landed one at a time "
                + "(default ${DEFAULT-VALUE}).")
        int latencyFiles;

        @Option(names = "--latency-rows", defaultValue = "1000", description = "--system: rows per small file (default ${DEFAULT-VALUE}).")
        int latencyRows;

        @Option(names = "--throughput-time", defaultValue = "PT60S", description = "--system: how long files are landed in the "
                + "throughput and scale-out phases (ISO-8601, default ${DEFAULT-VALUE}).")
        Duration throughputTime;

        @Option(names = "--throughput-rows", defaultValue = "100000", description = "--system: rows per throughput file "
                + "(default ${DEFAULT-VALUE}).")
        int throughputRows;

        @Option(names = "--throughput-warm-up", defaultValue = "3", description = "--system: throughput files landed one at a time "
                + "before each throughput phase, unreported (default ${DEFAULT-VALUE}).")
        int throughputWarmUp;

        @Option(names = "--max-backlog", defaultValue = "2", description = "--system: land a throughput file only while the "
                + "landing and file-landed queues hold fewer messages (default ${DEFAULT-VALUE}).")
        int maxBacklog;

        @Option(names = "--no-scale-out", description = "--system: skip the scale-out phase.")
        boolean noScaleOut;

        @Override
        public Integer call() throws Exception {
            Path root = parent.project.toAbsolutePath().normalize();
            if (system) {
                SystemBenchmark.Options options = new SystemBenchmark.Options(warmUpFiles, latencyFiles, latencyRows, throughputTime,
                        throughputRows, throughputWarmUp, maxBacklog, !noScaleOut, seed, Duration.ofMinutes(5));
                ObjectNode result = new SystemBenchmark(root, parent.workDir().resolve("bench-system"), options).run();
                printJson(result);
                return SystemBenchmark.passed(result) ? 0 : 1;
            }
            Path classpathFile = root.resolve("lake-bench/target/bench-classpath.txt");
            if (!Files.isRegularFile(classpathFile)) {
                progress().println("The benchmark is not built: ./mvnw -B package -DskipTests");
                return 2;
            }
            String classpath = root.resolve("lake-bench/target/test-classes") + java.io.File.pathSeparator
                    + root.resolve("lake-bench/target/classes") + java.io.File.pathSeparator
                    + Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-cp", classpath));
            if (published == null) {
                command.addAll(List.of("dev.mortgagelake.bench.ValidationBenchmark", "--rows", rows));
            } else {
                String fileRows = spec.commandLine().getParseResult().hasMatchedOption("--rows") ? rows : "1000000";
                if (fileRows.contains(",")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--rows takes one count with --published");
                }
                command.addAll(List.of("dev.mortgagelake.bench.DuplicateLookupBenchmark", "--published", published, "--rows", fileRows));
            }
            command.addAll(List.of("--seed", Long.toString(seed), "--work", parent.workDir().resolve("bench").toString()));
            Process process = new ProcessBuilder(command).inheritIO().start();
            return process.waitFor();
        }
    }

    @Command(name = "serve", hidden = true, description = "Run the lake in the foreground until stopped (used by `up`).")
    static final class Serve implements Callable<Integer> {

        @CommandLine.ParentCommand
        LakeCommand parent;

        @Override
        public Integer call() throws Exception {
            Path work = parent.workDir();
            LocalLake lake = LocalLake.start(parent.project, work, Map.of("lake.ingest.sweep.every", "10s"));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LocalLakeState.clear(work);
                lake.close();
                stopped.countDown();
            }, "lake-shutdown"));
            LocalLakeState.write(work, lake.endpoints(), ProcessHandle.current().pid());
            progress().println("Lake up: " + lake.endpoints());
            stopped.await();
            return 0;
        }
    }
}
