package dev.mortgagelake.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.publish.table.TableLocation;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.validation.contract.ContractV1;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * {@code ./lake bench --system}: what a user of the running lake sees, on the local lake with the
 * services as they ship (child JVMs from their fast-jars, prod profile, embedded SQS and S3).
 *
 * <ul>
 *   <li><b>latency</b>: small files landed one at a time after a warm-up; per file, from the moment
 *       the S3 notification is sent to {@code run-promoted} (the event's time) and to the last Gold
 *       {@code _LATEST.json} ({@code published_at}), split by stage from the lake's own records: the
 *       ingest's emitted record, the validation record's {@code validated_at}, the Silver and Gold
 *       pointers' {@code published_at}, the event's time. All on one machine, so one clock.</li>
 *   <li><b>throughput</b>: larger files landed whenever the landing and file-landed queues hold fewer
 *       than a few messages (as fast as the lake takes them) for a fixed time, then drained; files and
 *       rows per minute from the first landing to the last {@code run-promoted}, queue depth sampled
 *       every second, each service's CPU seconds, and the exactly-once checks.</li>
 *   <li><b>scale-out</b>: the same on a fresh lake with a second instance of validation-service and
 *       of publish-service consuming the same queues; rows per minute against one instance, and the
 *       commit protocol's lost races (a writer that lost a table version to the other instance and
 *       retried) counted from the publish-services' logs.</li>
 * </ul>
 * Each phase runs on a fresh lake (the audit gate compares a run's row count with the table's recent
 * runs, and the duplicate check's cost grows with published rows: neither should carry over).
 */
public final class SystemBenchmark {

    private static final ObjectMapper JSON = EventCodec.newMapper();
    private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "GBP", "CHF"};
    /** The commit protocol's debug line for a lost race (TableCommitter); the bench turns that logger to DEBUG. */
    static final String LOST_RACE = "Lost the race for ";

    /**
     * What to run.
     *
     * @param warmUpFiles       small files landed (and waited for) before the latency samples, unreported
     * @param latencyFiles      small files landed one at a time and reported
     * @param latencyRows       rows per small file
     * @param throughputTime    how long files are landed in the throughput phases
     * @param throughputRows    rows per throughput file
     * @param throughputWarmUp  throughput files landed one at a time before each throughput phase, unreported
     * @param maxBacklog        a throughput file is landed only while the landing and file-landed queues hold fewer messages
     * @param scaleOut          whether to run the scale-out phase
     * @param fileTimeout       how long one file may take before the bench gives up on it
     */
    public record Options(int warmUpFiles, int latencyFiles, int latencyRows, Duration throughputTime, int throughputRows,
                          int throughputWarmUp, int maxBacklog, boolean scaleOut, long seed, Duration fileTimeout) {

        public static Options defaults() {
            return new Options(10, 100, 1_000, Duration.ofSeconds(60), 100_000, 3, 2, true, 42, Duration.ofMinutes(5));
        }
    }

    private final Path projectRoot;
    private final Path workDir;
    private final Options options;

    public SystemBenchmark(Path projectRoot, Path workDir, Options options) {
        this.projectRoot = projectRoot;
        this.workDir = workDir;
        this.options = options;
    }

    /** Runs every phase and returns the figures (the JSON {@code ./lake bench --system} prints). */
    public ObjectNode run() throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.put("measured_at", Instant.now().toString());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("load_average_at_start", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        out.set("latency", phase("latency", this::latency));
        ObjectNode one = phase("throughput", () -> throughput("throughput", 1));
        out.set("throughput", one);
        if (options.scaleOut()) {
            ObjectNode two = phase("scale_out", () -> throughput("scale-out", 2));
            double base = one.path("rows_per_minute").asDouble();
            two.put("rows_per_minute_vs_one_instance", base == 0 ? 0 : round(two.path("rows_per_minute").asDouble() / base));
            out.set("scale_out", two);
        }
        out.put("load_average_at_end", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return out;
    }

    private interface Phase {
        ObjectNode run() throws Exception;
    }

    /**
     * Runs a phase; its figures also go to stderr as soon as it ends (a later phase that fails loses
     * nothing). A phase that fails is reported as {@code {"failed": "..."}} and the next one runs.
     */
    private static ObjectNode phase(String name, Phase phase) {
        ObjectNode node;
        try {
            node = phase.run();
        } catch (Exception | AssertionError e) {
            node = JSON.createObjectNode();
            node.put("failed", e.toString());
            e.printStackTrace();
        }
        progress(name + ": " + node);
        return node;
    }

    /** True when every phase's exactly-once check passed and no latency file failed. */
    public static boolean passed(JsonNode result) {
        boolean ok = result.path("latency").path("failed").asInt(1) == 0 && result.path("latency").path("exactly_once").path("ok").asBoolean();
        ok &= result.path("throughput").path("exactly_once").path("ok").asBoolean();
        if (result.has("scale_out")) {
            ok &= result.path("scale_out").path("exactly_once").path("ok").asBoolean();
        }
        return ok;
    }

    // ---- latency -----------------------------------------------------------------------------

    private ObjectNode latency() throws Exception {
        Path phaseDir = fresh(workDir.resolve("latency"));
        progress("latency: starting the lake ...");
        try (LocalLake lake = LocalLake.start(projectRoot, phaseDir, serviceConfig(), phaseDir.resolve("s3"));
             Session session = new Session(lake)) {
            List<Sample> samples = new ArrayList<>();
            int failures = 0;
            List<String> failed = new ArrayList<>();
            int total = options.warmUpFiles() + options.latencyFiles();
            for (int i = 0; i < total; i++) {
                boolean warmUp = i < options.warmUpFiles();
                BenchFile file = BenchFile.write(phaseDir.resolve("files"), "lat" + i, options.latencyRows(), options.seed() + i, 1_000);
                Instant sent = session.land(file);
                Optional<Promotion> promotion = session.awaitPromotion(file, options.fileTimeout());
                if (promotion.isEmpty()) {
                    failures++;
                    failed.add(file.name() + ": " + session.describeMissing(file));
                    continue;
                }
                Sample sample = session.sample(file, sent, promotion.get());
                if (!warmUp) {
                    samples.add(sample);
                }
                Files.deleteIfExists(file.path());
                if (!warmUp && (samples.size() % 10 == 0)) {
                    progress(String.format(Locale.ROOT, "latency: %d/%d files, last %d ms to run-promoted", samples.size(),
                            options.latencyFiles(), sample.toRunPromotedMs()));
                }
            }
            ObjectNode node = JSON.createObjectNode();
            node.put("files", options.latencyFiles());
            node.put("rows_per_file", options.latencyRows());
            node.put("warm_up_files", options.warmUpFiles());
            node.put("promoted", samples.size());
            node.put("failed", failures);
            node.set("failures", JSON.valueToTree(failed));
            node.set("to_run_promoted_ms", percentiles(samples, Sample::toRunPromotedMs));
            node.set("to_run_promoted_received_ms", percentiles(samples, Sample::receivedMs));
            node.set("to_gold_latest_ms", percentiles(samples, Sample::toGoldMs));
            ObjectNode stages = node.putObject("stages_ms");
            stages.set("ingest", percentiles(samples, Sample::ingestMs));
            stages.set("validation", percentiles(samples, Sample::validationMs));
            stages.set("promotion", percentiles(samples, Sample::promotionMs));
            stages.set("gold", percentiles(samples, Sample::goldMs));
            stages.set("run_promoted", percentiles(samples, Sample::emitMs));
            node.set("exactly_once", session.exactlyOnce(session.landed()));
            return node;
        }
    }

    /** One small file's way through the lake, in milliseconds since the notification was sent. */
    record Sample(long ingestDone, long validated, long silverPublished, long goldPublished, long runPromoted, long received) {
        long toRunPromotedMs() {
            return runPromoted;
        }

        long receivedMs() {
            return received;
        }

        long toGoldMs() {
            return goldPublished;
        }

        long ingestMs() {
            return ingestDone;
        }

        long validationMs() {
            return validated - ingestDone;
        }

        long promotionMs() {
            return silverPublished - validated;
        }

        long goldMs() {
            return goldPublished - silverPublished;
        }

        long emitMs() {
            return runPromoted - goldPublished;
        }
    }

    // ---- throughput and scale-out --------------------------------------------------------------

    private ObjectNode throughput(String phase, int instances) throws Exception {
        Path phaseDir = fresh(workDir.resolve(phase));
        progress(phase + ": starting the lake" + (instances > 1 ? " with " + instances + " instances of validation-service and "
                + "publish-service" : "") + " ...");
        try (LocalLake lake = LocalLake.start(projectRoot, phaseDir, serviceConfig(), phaseDir.resolve("s3"));
             Session session = new Session(lake)) {
            for (int i = 1; i < instances; i++) {
                lake.addInstance("validation-service");
                lake.addInstance("publish-service");
            }
            for (int i = 0; i < options.throughputWarmUp(); i++) {
                BenchFile file = BenchFile.write(phaseDir.resolve("files"), phase + "-warm" + i, options.throughputRows(),
                        options.seed() * 31 + i, 10_000);
                session.land(file);
                if (session.awaitPromotion(file, options.fileTimeout()).isEmpty()) {
                    throw new IllegalStateException(phase + ": warm-up file " + file.name() + " was not promoted: "
                            + session.describeMissing(file));
                }
                Files.deleteIfExists(file.path());
            }
            List<BenchFile> warmUps = new ArrayList<>(session.landed());

            // files are generated ahead on a thread of this JVM (counted in bench_cpu_seconds)
            BlockingQueue<BenchFile> ready = new ArrayBlockingQueue<>(3);
            Thread generator = new Thread(() -> {
                try {
                    for (int i = 0; ; i++) {
                        ready.put(BenchFile.write(phaseDir.resolve("files"), phase + i, options.throughputRows(),
                                options.seed() * 17 + i, 10_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "bench-file-generator");
            generator.setDaemon(true);
            generator.start();

            Map<String, Duration> cpuBefore = cpu(lake);
            long benchCpuBefore = benchCpu();
            List<ObjectNode> depth = new CopyOnWriteArrayList<>();
            List<BenchFile> measured = new ArrayList<>();
            Instant start = Instant.now();
            Instant deadline = start.plus(options.throughputTime());
            Instant nextSample = start;
            progress(String.format(Locale.ROOT, "%s: landing %,d-row files for %s ...", phase, options.throughputRows(),
                    options.throughputTime()));
            while (Instant.now().isBefore(deadline)) {
                Map<String, Long> queues = session.queueDepths();
                if (!Instant.now().isBefore(nextSample)) {
                    depth.add(depthSample(start, queues));
                    nextSample = nextSample.plusSeconds(1);
                }
                long backlog = queues.get("landing") + queues.get("file_landed_waiting");
                if (backlog < options.maxBacklog()) {
                    BenchFile file = ready.poll(200, TimeUnit.MILLISECONDS);
                    if (file != null) {
                        session.land(file);
                        measured.add(file);
                    }
                } else {
                    Thread.sleep(50);
                }
            }
            generator.interrupt();
            progress(phase + ": landed " + measured.size() + " files; draining ...");
            Instant drainDeadline = Instant.now().plus(options.fileTimeout());
            while (!session.allPromoted(measured) && Instant.now().isBefore(drainDeadline)) {
                Map<String, Long> queues = session.queueDepths();
                if (!Instant.now().isBefore(nextSample)) {
                    depth.add(depthSample(start, queues));
                    nextSample = nextSample.plusSeconds(1);
                }
                Thread.sleep(100);
            }
            Instant last = session.lastPromotionTime(measured).orElse(Instant.now());
            Map<String, Duration> cpuAfter = cpu(lake);
            double benchCpu = (benchCpu() - benchCpuBefore) / 1e9;
            double seconds = Math.max(0.001, Duration.between(start, last).toNanos() / 1e9);
            long promotedFiles = measured.stream().filter(session::promoted).count();
            long rows = measured.stream().filter(session::promoted).mapToLong(BenchFile::rows).sum();

            ObjectNode node = JSON.createObjectNode();
            ObjectNode counts = node.putObject("instances");
            counts.put("validation-service", instances);
            counts.put("publish-service", instances);
            node.put("rows_per_file", options.throughputRows());
            node.put("landing_seconds", options.throughputTime().toSeconds());
            node.put("warm_up_files", options.throughputWarmUp());
            node.put("files_landed", measured.size());
            node.put("files_promoted", promotedFiles);
            node.put("rows_promoted", rows);
            node.put("seconds", round(seconds));
            node.put("files_per_minute", round(promotedFiles * 60 / seconds));
            node.put("rows_per_minute", Math.round(rows * 60 / seconds));
            ObjectNode cpuNode = node.putObject("cpu_seconds");
            double servicesCpu = 0;
            for (Map.Entry<String, Duration> e : new TreeMap<>(cpuAfter).entrySet()) {
                double s = (e.getValue().toNanos() - cpuBefore.getOrDefault(e.getKey(), Duration.ZERO).toNanos()) / 1e9;
                servicesCpu += s;
                cpuNode.put(e.getKey(), round(s));
            }
            cpuNode.put("bench_and_embedded_servers", round(benchCpu));
            node.put("cores_busy", round((servicesCpu + benchCpu) / seconds));
            node.set("commit_lost_races", lostRaces(lake));
            ArrayNode depthNode = node.putArray("queue_depth");
            depth.forEach(depthNode::add);
            node.set("exactly_once", session.exactlyOnce(concat(warmUps, measured)));
            progress(String.format(Locale.ROOT, "%s: %d files, %,d rows in %.1f s: %.1f files/min, %,d rows/min", phase, promotedFiles,
                    rows, seconds, promotedFiles * 60 / seconds, Math.round(rows * 60 / seconds)));
            measured.forEach(f -> f.path().toFile().delete());
            return node;
        }
    }

    private static List<BenchFile> concat(List<BenchFile> a, List<BenchFile> b) {
        List<BenchFile> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static ObjectNode depthSample(Instant start, Map<String, Long> queues) {
        ObjectNode sample = JSON.createObjectNode();
        sample.put("t_s", round(Duration.between(start, Instant.now()).toMillis() / 1000.0));
        sample.put("landing", queues.get("landing"));
        sample.put("file_landed", queues.get("file_landed"));
        sample.put("run_validated_publish", queues.get("run_validated_publish"));
        return sample;
    }

    /** CPU time of each service process so far. */
    private static Map<String, Duration> cpu(LocalLake lake) {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        lake.instances().forEach((name, process) -> ProcessHandle.of(process.pid())
                .flatMap(h -> h.info().totalCpuDuration()).ifPresent(d -> cpu.put(name, d)));
        return cpu;
    }

    private static long benchCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Lost commit races per table kind, from every publish-service instance's log. */
    private static ObjectNode lostRaces(LocalLake lake) throws IOException {
        long silver = 0;
        long gold = 0;
        for (Map.Entry<String, ServiceProcess> e : lake.instances().entrySet()) {
            if (!e.getKey().startsWith("publish-service")) {
                continue;
            }
            try (Stream<String> lines = Files.lines(e.getValue().log(), StandardCharsets.UTF_8)) {
                for (String line : (Iterable<String>) lines.filter(l -> l.contains(LOST_RACE))::iterator) {
                    if (line.contains(LOST_RACE + "s3://" + LocalLake.BUCKETS.gold())) {
                        gold++;
                    } else {
                        silver++;
                    }
                }
            }
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("silver", silver);
        node.put("gold", gold);
        return node;
    }

    // ---- one lake's session: landing, the run-promoted collector, the lake's records -----------

    private final class Session implements AutoCloseable {

        private final LocalLake lake;
        private final LakeClient client;
        private final ObjectStore store;
        private final LakeLayout layout;
        private final SqsClient sqs;
        private final Map<String, String> queueUrls = new LinkedHashMap<>();
        private final Map<String, List<Promotion>> promotions = new ConcurrentHashMap<>();
        private final BlockingQueue<Promotion> arrivals = new LinkedBlockingQueue<>();
        private final Map<String, String> runIds = new ConcurrentHashMap<>();
        private final List<BenchFile> landed = new ArrayList<>();
        private final Thread collector;
        private volatile boolean closed;

        Session(LocalLake lake) {
            this.lake = lake;
            this.client = lake.client();
            this.store = client.store();
            this.layout = client.layout();
            LakeEndpoints e = lake.endpoints();
            this.sqs = LakeAwsClients.sqs(e.sqs(), e.region(), e.accessKeyId(), e.secretAccessKey());
            queueUrls.put("landing", url(e.queues().landing()));
            queueUrls.put("file_landed", url(e.queues().fileLanded()));
            queueUrls.put("run_validated_publish", url(e.queues().runValidatedForPublish()));
            queueUrls.put("run_promoted", url(e.queues().runPromoted()));
            this.collector = new Thread(this::collect, "run-promoted-collector");
            collector.setDaemon(true);
            collector.start();
        }

        private String url(String queue) {
            return sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
        }

        List<BenchFile> landed() {
            return List.copyOf(landed);
        }

        /** Puts the file into the landing zone, then sends its notification; returns when the notification was sent. */
        Instant land(BenchFile file) {
            StoredObject stored = store.replace(new Location(lake.endpoints().buckets().landing(),
                    lake.endpoints().landingPrefix() + file.name()), file.path(), "application/octet-stream");
            Instant sent = Instant.now();
            client.notifyLanding(stored);
            landed.add(file);
            return sent;
        }

        /** Takes every run-promoted event off the queue, with its time and when it was received. */
        private void collect() {
            String queueUrl = queueUrls.get("run_promoted");
            while (!closed) {
                List<Message> messages;
                try {
                    messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    sleep(200);
                    continue;
                }
                Instant received = Instant.now();
                for (Message message : messages) {
                    try {
                        LakeEvent<RunPromoted> event = EventCodec.decode(message.body(), EventType.RUN_PROMOTED);
                        Promotion p = new Promotion(event.subject(), event.time(), received, event.data());
                        promotions.computeIfAbsent(p.runId(), k -> new CopyOnWriteArrayList<>()).add(p);
                        arrivals.add(p);
                    } catch (InvalidEventException e) {
                        // not ours to judge; dropped
                    }
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                }
            }
        }

        /** The run id ingest gave the file (from its content claim), once it has one. */
        Optional<String> runId(BenchFile file) {
            String known = runIds.get(file.sha256());
            if (known != null) {
                return Optional.of(known);
            }
            Location claim = layout.contentClaim(file.sha256());
            if (store.head(claim).isEmpty()) {
                return Optional.empty();
            }
            String runId = client.readTree(claim).path("run_id").asText();
            runIds.put(file.sha256(), runId);
            return Optional.of(runId);
        }

        /** Waits for the file's run-promoted (files landed one at a time: the next new event is its). */
        Optional<Promotion> awaitPromotion(BenchFile file, Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                Promotion p = arrivals.poll(100, TimeUnit.MILLISECONDS);
                Optional<String> runId = p == null ? Optional.empty() : runId(file);
                if (p != null && runId.isPresent() && p.runId().equals(runId.get())) {
                    return Optional.of(p);
                }
                if (p == null && runId.isPresent() && promotions.containsKey(runId.get())) {
                    return Optional.of(promotions.get(runId.get()).get(0));
                }
            }
            return Optional.empty();
        }

        String describeMissing(BenchFile file) {
            Optional<String> runId = runId(file);
            if (runId.isEmpty()) {
                return "not ingested";
            }
            Location record = layout.validationRecord(RunId.of(runId.get()));
            if (store.head(record).isEmpty()) {
                return "run " + runId.get() + " not validated";
            }
            return "run " + runId.get() + " validated (" + client.readTree(record).path("outcome").asText() + ") but not promoted";
        }

        boolean promoted(BenchFile file) {
            return runId(file).map(promotions::containsKey).orElse(false);
        }

        boolean allPromoted(List<BenchFile> files) {
            return files.stream().allMatch(this::promoted);
        }

        Optional<Instant> lastPromotionTime(List<BenchFile> files) {
            return files.stream().map(this::runId).flatMap(Optional::stream).map(promotions::get).filter(l -> l != null)
                    .map(l -> l.get(0).time()).max(Instant::compareTo);
        }

        /** Reads the file's way through the lake from its records (it was just promoted, alone in the lake). */
        Sample sample(BenchFile file, Instant sent, Promotion promotion) {
            String runId = promotion.runId();
            JsonNode emitted = client.readTree(layout.contentEmitted(file.sha256()));
            Instant ingestDone = Instant.parse(emitted.path("emitted_at").asText());
            RunValidated validated = read(layout.validationRecord(RunId.of(runId)), RunValidated.class);
            JsonNode silver = client.readTree(silverTable().latestPointer());
            if (!runId.equals(silver.path("run_id").asText())) {
                throw new IllegalStateException("Silver _LATEST.json names run " + silver.path("run_id").asText() + ", not " + runId);
            }
            Instant silverPublished = Instant.parse(silver.path("published_at").asText());
            Instant goldPublished = silverPublished;
            for (GoldDataset dataset : GoldDataset.values()) {
                Location pointer = new TableLocation(layout.buckets().gold(),
                        layout.goldTableRoot(dataset.tableName(), GoldDataset.SCHEMA_VERSION)).latestPointer();
                JsonNode gold = client.readTree(pointer);
                Instant published = Instant.parse(gold.path("published_at").asText());
                goldPublished = published.isAfter(goldPublished) ? published : goldPublished;
            }
            return new Sample(ms(sent, ingestDone), ms(sent, validated.validatedAt()), ms(sent, silverPublished), ms(sent, goldPublished),
                    ms(sent, promotion.time()), ms(sent, promotion.received()));
        }

        private TableLocation silverTable() {
            return new TableLocation(layout.buckets().silver(), layout.silverTableRoot("v1"));
        }

        /** The exactly-once check by run ({@link SilverExactlyOnce#byRun}) over the landed files. */
        ObjectNode exactlyOnce(List<BenchFile> files) {
            List<SilverExactlyOnce.Landed> landed = new ArrayList<>();
            for (BenchFile file : files) {
                Optional<String> runId = runId(file);
                int events = runId.map(r -> promotions.getOrDefault(r, List.of()).size()).orElse(0);
                landed.add(new SilverExactlyOnce.Landed(file.name(), runId, file.rows(), events));
            }
            return new SilverExactlyOnce(store, layout).byRun(landed);
        }

        /** Messages per queue (visible + in flight); {@code file_landed_waiting} counts only the visible ones. */
        Map<String, Long> queueDepths() {
            Map<String, Long> depths = new LinkedHashMap<>();
            for (String name : List.of("landing", "file_landed", "run_validated_publish")) {
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrls.get(name))
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                long visible = Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
                long inFlight = Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
                depths.put(name, visible + inFlight);
                if (name.equals("file_landed")) {
                    depths.put("file_landed_waiting", visible);
                }
            }
            return depths;
        }

        private <T> T read(Location location, Class<T> type) {
            try {
                return EventCodec.mapper().readValue(store.read(location), type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            closed = true;
            try {
                collector.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sqs.close();
            client.close();
        }
    }

    record Promotion(String runId, Instant time, Instant received, RunPromoted data) {
    }

    // ---- files -----------------------------------------------------------------------------------

    /** A generated gzip CSV: ids unique across files (so nothing is a duplicate of a published row), 1% invalid rows. */
    record BenchFile(String name, Path path, String sha256, long rows) {

        static BenchFile write(Path dir, String tag, int rows, long seed, int accounts) throws IOException {
            Files.createDirectories(dir);
            String name = "bench-" + tag + "-" + rows + ".csv.gz";
            Path path = dir.resolve(name);
            SplittableRandom random = new SplittableRandom(seed);
            long start = LocalDateTime.of(2024, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
            long span = LocalDateTime.of(2024, 4, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) - start;
            try (OutputStream out = Files.newOutputStream(path);
                 Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(out, 64 * 1024), StandardCharsets.UTF_8),
                         64 * 1024)) {
                w.write(String.join(",", ContractV1.COLUMNS));
                w.write('\n');
                StringBuilder line = new StringBuilder(96);
                for (int row = 0; row < rows; row++) {
                    line.setLength(0);
                    long cents = random.nextLong(-50_000_00L, 500_000_00L);
                    line.append('B').append(tag).append('-').append(row).append(',')
                            .append('C').append(100_000 + random.nextInt(accounts)).append(',')
                            .append(java.math.BigDecimal.valueOf(cents, 2).toPlainString()).append(',')
                            .append(random.nextInt(100) == 0 ? "XYZ" : CURRENCIES[random.nextInt(CURRENCIES.length)]).append(',')
                            .append(Instant.ofEpochSecond(start + random.nextLong(span))).append('\n');
                    w.append(line);
                }
            }
            return new BenchFile(name, path, LakeClient.sha256(path), rows);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Map<String, String> serviceConfig() {
        // the commit protocol logs each lost race at DEBUG: counted from the publish-services' logs
        return Map.of("quarkus.log.category.\"dev.mortgagelake.publish.table.TableCommitter\".level", "DEBUG");
    }

    static <T> ObjectNode percentiles(List<T> samples, ToLongFunction<T> value) {
        long[] values = samples.stream().mapToLong(value).sorted().toArray();
        ObjectNode node = JSON.createObjectNode();
        node.put("p50", percentile(values, 50));
        node.put("p95", percentile(values, 95));
        node.put("p99", percentile(values, 99));
        node.put("max", values.length == 0 ? 0 : values[values.length - 1]);
        node.put("mean", values.length == 0 ? 0 : Math.round(Arrays.stream(values).average().orElse(0)));
        return node;
    }

    /** Nearest-rank percentile of sorted values (0 when there are none). */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static long ms(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    private static void progress(String message) {
        System.err.println(message);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
