package dev.mortgagelake.local.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.local.LakeClient;
import dev.mortgagelake.local.LakeEndpoints;
import dev.mortgagelake.local.LandedFile;
import dev.mortgagelake.local.LocalLake;
import dev.mortgagelake.local.fault.HttpFaultProxy;
import dev.mortgagelake.retry.BackoffSchedule;
import dev.mortgagelake.retry.LakeConservation;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.validation.reference.CurrencyAllowListDocument;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code ./lake chaos}: the local lake under random SIGKILLs, injected S3 faults and duplicated
 * deliveries, then an audit of its invariants ({@link LakeAudit}).
 *
 * <p>What happens, all drawn from the seed:
 * <ul>
 *   <li>the lake starts with its services behind {@link HttpFaultProxy HTTP fault proxies}: S3 requests
 *       fail at {@code s3Faults} (503 SlowDown, 500, resets before or after the server acted, slow
 *       answers); the services' SQS sends are sent twice at {@code duplicateDeliveries}, 0-3 s apart;</li>
 *   <li>{@code files} generated files ({@link ChaosFiles}) are landed, interleaved with the kills; each
 *       landing notification is also delivered twice at {@code duplicateDeliveries} (0-5 s later); some
 *       files are landed again under another key (exact duplicates) or the same key (re-landed);</li>
 *   <li>the retry cycle: once file 0 is validated, its quarantined {@link ChaosFiles#RETRY_CURRENCY}
 *       rows become valid (the currency is added to the reference data) and pass on their retry;</li>
 *   <li>a backfill of today's ingest date is requested through ingest-service halfway through;</li>
 *   <li>{@code kills} times, at a random moment, a random service is killed (SIGKILL) and restarted;</li>
 *   <li>then the run waits until the lake is quiet (queues empty, in flight and delayed included; no
 *       quarantine batch waiting for its retry; every table's pointer on its newest version; Gold on the
 *       newest Silver) and audits it.</li>
 * </ul>
 * The choices are reproducible from the seed; their timing against the services' work is not (that is
 * the point of the exercise).
 */
public final class ChaosRun {

    private static final ObjectMapper JSON = EventCodec.newMapper();

    /**
     * @param quietTimeout how long to wait, after the last kill and landing, for the lake to be quiet
     */
    public record Options(int files, int kills, long seed, double s3Faults, double duplicateDeliveries, Duration quietTimeout) {

        public Options {
            if (files < 1) {
                throw new IllegalArgumentException("--files must be at least 1");
            }
            if (kills < 0) {
                throw new IllegalArgumentException("--kills must be at least 0");
            }
        }
    }

    private final Path projectRoot;
    private final Path workDir;
    private final Options options;
    private final Map<String, AtomicInteger> kills = new ConcurrentHashMap<>();
    private final AtomicInteger killsDone = new AtomicInteger();
    private final AtomicLong landingDuplicates = new AtomicLong();
    private final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Throwable> killerFailure = new AtomicReference<>();


    public ChaosRun(Path projectRoot, Path workDir, Options options) {
        this.projectRoot = projectRoot;
        this.workDir = workDir;
        this.options = options;
        LocalLake.SERVICES.forEach(s -> kills.put(s, new AtomicInteger()));
    }

    /** The services' configuration for a chaos run: short redeliveries and retries, an audit gate that does not hold mixed sizes. */
    static Map<String, String> serviceConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        // a killed consumer's message comes back within seconds (the heartbeat keeps live work invisible)
        config.put("ingest-service:mp.messaging.incoming.landing.visibility-timeout", "10");
        config.put("validation-service:mp.messaging.incoming.file-landed.visibility-timeout", "15");
        config.put("validation-service:mp.messaging.incoming.retry-due.visibility-timeout", "15");
        config.put("retry-service:mp.messaging.incoming.run-validated.visibility-timeout", "15");
        config.put("publish-service:mp.messaging.incoming.run-validated.visibility-timeout", "15");
        // the retry cycle within seconds: attempt 2 after 10 s, attempt 3 (the last) 4 s later
        config.put("lake.retry.backoff", "10s,4s");
        config.put("lake.retry.sweep.every", "2s");
        config.put("lake.retry.sweep.redispatch-after", "20s");
        config.put("lake.retry.backlog.every", "5s");
        // every run is promoted whatever its size or quarantine rate (the gate is tested elsewhere)
        config.put("lake.publish.audit.max-quarantine-rate", "1");
        config.put("lake.publish.audit.row-count-factor", "1000000");
        config.put("lake.publish.reconcile.every", "5s");
        config.put("lake.ingest.sweep.every", "5s");
        config.put("lake.ingest.sweep.grace", "10s");
        return config;
    }

    /** Runs the chaos and the audit; returns the summary ({@code ok} is false on any violation). */
    public ObjectNode run() throws Exception {
        Instant started = Instant.now();
        Path dir = fresh(workDir);
        Random random = new Random(options.seed());
        progress("chaos: generating %d files (seed %d) ...", options.files(), options.seed());
        List<ChaosFiles.ChaosFile> files = new ArrayList<>();
        for (int i = 0; i < options.files(); i++) {
            files.add(ChaosFiles.write(dir.resolve("files"), options.seed(), i));
        }
        Set<String> expectedIds = new HashSet<>();
        Map<String, Long> rowsByName = new TreeMap<>();
        files.forEach(f -> {
            expectedIds.addAll(f.silverIds());
            rowsByName.put(f.name(), f.rows());
        });
        progress("chaos: starting the lake behind fault proxies (S3 faults %.3f, duplicate deliveries %.3f) ...",
                options.s3Faults(), options.duplicateDeliveries());
        HttpFaultProxy.Faults faults = new HttpFaultProxy.Faults(options.s3Faults(), options.duplicateDeliveries());
        ObjectNode summary = JSON.createObjectNode();
        try (LocalLake lake = LocalLake.startChaos(projectRoot, dir, serviceConfig(), faults, options.seed());
             LakeClient client = lake.client();
             SqsClient sqs = sqs(lake.endpoints())) {
            ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
            Thread killer = new Thread(() -> killLoop(lake, new Random(options.seed() * 31 + 7)), "chaos-killer");
            killer.setDaemon(true);
            killer.start();
            Thread retryCycle = null;
            for (ChaosFiles.ChaosFile file : files) {
                int due = (int) ((long) file.index() * options.kills() / options.files());
                while (killsDone.get() < due && killer.isAlive()) {
                    Thread.sleep(100);
                }
                LandedFile landed = land(client, file.path(), lake.endpoints().landingPrefix() + file.name(), random, later);
                events.add("landed " + file.name() + " (" + file.rows() + " rows)");
                if (file.index() == 0) {
                    retryCycle = new Thread(() -> retryCycle(client, landed), "chaos-retry-cycle");
                    retryCycle.setDaemon(true);
                    retryCycle.start();
                }
                boolean duplicate = file.index() == 1 || (file.index() > 2 && random.nextInt(100) < 8);
                boolean reland = file.index() == 2 || (file.index() > 2 && random.nextInt(100) < 8);
                if (duplicate) {
                    land(client, file.path(), lake.endpoints().landingPrefix() + "copies/" + file.name(), random, later);
                    events.add("landed an exact copy of " + file.name() + " under another key");
                }
                if (reland) {
                    land(client, file.path(), lake.endpoints().landingPrefix() + file.name(), random, later);
                    events.add("re-landed " + file.name() + " under the same key");
                }
                if (file.index() == options.files() / 2) {
                    backfill(lake);
                }
                Thread.sleep(random.nextInt(1500));
            }
            progress("chaos: all %d files landed; %d/%d kills so far", files.size(), killsDone.get(), options.kills());
            killer.join();
            if (killerFailure.get() != null) {
                throw new IllegalStateException("The chaos killer failed", killerFailure.get());
            }
            if (retryCycle != null) {
                retryCycle.join(Duration.ofMinutes(5).toMillis());
            }
            later.shutdown();
            later.awaitTermination(10, TimeUnit.SECONDS);
            progress("chaos: %d kills done; waiting for the lake to be quiet (at most %s) ...", killsDone.get(), options.quietTimeout());
            Instant quietSince = Instant.now();
            Map<String, Object> quiet = awaitQuiet(lake, client, sqs, Instant.now().plus(options.quietTimeout()));
            progress("chaos: %s after %d s; auditing ...", quiet.get("quiet").equals(Boolean.TRUE) ? "quiet" : "NOT quiet",
                    Duration.between(quietSince, Instant.now()).toSeconds());
            lake.s3Faults().enabled(false);
            lake.sqsFaults().enabled(false);

            summary.put("seed", options.seed());
            summary.put("files", options.files());
            summary.put("rows_generated", files.stream().mapToLong(ChaosFiles.ChaosFile::rows).sum());
            ObjectNode killNode = summary.putObject("kills");
            killNode.put("total", killsDone.get());
            ObjectNode byService = killNode.putObject("by_service");
            new TreeMap<>(kills).forEach((service, n) -> byService.put(service, n.get()));
            ObjectNode s3Faults = summary.putObject("s3_faults");
            s3Faults.put("rate", options.s3Faults());
            s3Faults.put("requests", lake.s3Faults().requests());
            s3Faults.put("total", lake.s3Faults().faultsInjected());
            lake.s3Faults().counts().forEach((kind, n) -> {
                if (!kind.equals(HttpFaultProxy.DUPLICATED_SENDS)) {
                    s3Faults.put(kind, n);
                }
            });
            long sends = lake.sqsFaults().counts().get(HttpFaultProxy.DUPLICATED_SENDS);
            ObjectNode duplicates = summary.putObject("duplicate_deliveries");
            duplicates.put("rate", options.duplicateDeliveries());
            duplicates.put("total", sends + landingDuplicates.get());
            duplicates.put("landing_notifications", landingDuplicates.get());
            duplicates.put("service_sends", sends);
            summary.put("quiet_after_seconds", Duration.between(quietSince, Instant.now()).toSeconds());
            LakeAudit audit = new LakeAudit(client.store(), client.layout(), sqs, lake.endpoints(), dir.resolve("logs"),
                    Files.createDirectories(dir.resolve("audit")));
            ObjectNode result = audit.run(expectedIds, rowsByName, quiet);
            result.fields().forEachRemaining(e -> summary.set(e.getKey(), e.getValue()));
            summary.put("duration_seconds", Duration.between(started, Instant.now()).toSeconds());
            ArrayNode log = summary.putArray("events");
            synchronized (events) {
                events.forEach(log::add);
            }
        }
        return summary;
    }

    /** True when the summary has no violation. */
    public static boolean passed(ObjectNode summary) {
        return summary.path("ok").asBoolean(false);
    }

    // ---- chaos -----------------------------------------------------------------------------------

    /** At most this many services are down (killed, not yet ready again) at once. */
    static final int MAX_DOWN = 2;

    /**
     * Kills a random service that is up, at a random moment, {@code kills} times; each one is started
     * again on its own thread (ready before it can be killed again), so up to {@link #MAX_DOWN} are
     * down at once and the kills do not wait for the JVMs' start-up one by one.
     */
    private void killLoop(LocalLake lake, Random random) {
        Set<String> down = ConcurrentHashMap.newKeySet();
        List<Thread> respawns = new ArrayList<>();
        try {
            for (int k = 0; k < options.kills(); k++) {
                Thread.sleep(300 + random.nextInt(2200));
                while (down.size() >= MAX_DOWN) {
                    Thread.sleep(100);
                }
                if (killerFailure.get() != null) {
                    return;
                }
                List<String> up = LocalLake.SERVICES.stream().filter(s -> !down.contains(s)).toList();
                String service = up.get(random.nextInt(up.size()));
                down.add(service);
                lake.service(service).kill();
                kills.get(service).incrementAndGet();
                int done = killsDone.incrementAndGet();
                if (done % 10 == 0 || done == options.kills()) {
                    progress("chaos: %d/%d kills (%s)", done, options.kills(), new TreeMap<>(kills));
                }
                Thread respawn = new Thread(() -> {
                    try {
                        for (int attempt = 1; ; attempt++) {
                            try {
                                lake.respawn(service);
                                break;
                            } catch (RuntimeException e) {
                                if (attempt >= 3) {
                                    throw e;
                                }
                                progress("chaos: %s did not come back (%s); starting it again", service, e.getMessage());
                            }
                        }
                    } catch (Throwable e) {
                        killerFailure.compareAndSet(null, e);
                    } finally {
                        down.remove(service);
                    }
                }, "chaos-respawn-" + service);
                respawn.setDaemon(true);
                respawn.start();
                respawns.add(respawn);
            }
            for (Thread respawn : respawns) {
                respawn.join();
            }
        } catch (Throwable e) {
            killerFailure.compareAndSet(null, e);
        }
    }

    /** Lands a file and sends its notification, and at the duplicate rate the same notification again 0-5 s later. */
    private LandedFile land(LakeClient client, Path file, String key, Random random, ScheduledExecutorService later) {
        LandedFile landed = client.land(file, key);
        if (random.nextDouble() < options.duplicateDeliveries()) {
            StoredObject object = new StoredObject(landed.location(), landed.sizeBytes(), landed.etag(), Instant.now());
            later.schedule(() -> {
                try {
                    client.notifyLanding(object);
                    landingDuplicates.incrementAndGet();
                } catch (RuntimeException e) {
                    progress("chaos: a duplicate notification was not sent: %s", e);
                }
            }, random.nextInt(5000), TimeUnit.MILLISECONDS);
        }
        return landed;
    }

    /** Once file 0 is validated (its MXN rows quarantined), the quality team allows MXN: the rows pass on their retry. */
    private void retryCycle(LakeClient client, LandedFile landed) {
        ObjectStore store = client.store();
        LakeLayout layout = client.layout();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        try {
            while (Instant.now().isBefore(deadline)) {
                Location claim = layout.contentClaim(landed.sha256());
                if (store.head(claim).isPresent()) {
                    String runId = client.readTree(claim).path("run_id").asText();
                    if (store.head(layout.validationRecord(RunId.of(runId))).isPresent()) {
                        Location location = layout.currencyAllowList();
                        CurrencyAllowListDocument current = CurrencyAllowListDocument.parse(store.read(location));
                        Set<String> codes = new java.util.TreeSet<>(current.codes());
                        codes.add(ChaosFiles.RETRY_CURRENCY);
                        store.replace(location, CurrencyAllowListDocument.of(codes, current.description()).toJson(), "application/json");
                        events.add("retry cycle: run " + runId + " validated; " + ChaosFiles.RETRY_CURRENCY + " added to the allow-list");
                        return;
                    }
                }
                Thread.sleep(200);
            }
            events.add("retry cycle: file 0 was not validated within 30 minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks ingest-service (as the platform operator) to backfill today; repeated with the same request id until accepted. */
    private void backfill(LocalLake lake) throws InterruptedException {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String body = """
                {"request_id":"chaos-%d-backfill","dataset":"mortgages/transactions","from":"%s","to":"%s","reason":"chaos run: backfill under faults"}
                """.formatted(options.seed(), today, today);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int attempt = 1; attempt <= 120; attempt++) {
            URI ingest = lake.endpoints().services().get("ingest-service");
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingest.resolve("/operator/backfills"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("olivia:olivia-demo".getBytes(StandardCharsets.UTF_8)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    int runs = JSON.readTree(response.body()).path("runs").size();
                    events.add("backfill of " + today + " accepted (attempt " + attempt + "): " + runs + " run(s)");
                    return;
                }
                progress("chaos: backfill answered %d: %s", response.statusCode(), response.body());
            } catch (IOException e) {
                // ingest-service was killed or is restarting: ask again
            }
            Thread.sleep(1000);
        }
        events.add("backfill was never accepted");
    }

    // ---- quiet -----------------------------------------------------------------------------------

    /** Waits until nothing is left to do, three checks in a row 3 s apart; returns what was seen last. */
    private Map<String, Object> awaitQuiet(LocalLake lake, LakeClient client, SqsClient sqs, Instant deadline) throws InterruptedException {
        LakeConservation conservation = new LakeConservation(client.store(), client.layout(),
                new QuarantineLedger(client.store(), client.layout(), BackoffSchedule.productionDefault()));
        int inARow = 0;
        Map<String, Object> last = Map.of();
        while (true) {
            Map<String, Object> seen = new LinkedHashMap<>();
            boolean quiet = true;
            try {
                Map<String, Long> depths = queueDepths(lake.endpoints(), sqs);
                seen.put("queues", depths);
                quiet &= depths.values().stream().allMatch(n -> n == 0);
                LakeConservation.Report report = conservation.check();
                seen.put("quarantine_pending", report.quarantinePending());
                quiet &= report.quarantinePending() == 0;
                List<String> pointers = LakeAudit.pointerLag(client.store(), client.layout());
                seen.put("pointers_behind", pointers);
                quiet &= pointers.isEmpty();
            } catch (RuntimeException e) {
                seen.put("error", e.toString());
                quiet = false;
            }
            seen.put("quiet", quiet);
            last = seen;
            inARow = quiet ? inARow + 1 : 0;
            if (inARow >= 3) {
                return last;
            }
            if (Instant.now().isAfter(deadline)) {
                return last;
            }
            Thread.sleep(3000);
        }
    }

    /** Messages per lake queue: visible + in flight + delayed ({@code run-promoted} has no consumer here and is left out). */
    static Map<String, Long> queueDepths(LakeEndpoints endpoints, SqsClient sqs) {
        Map<String, Long> depths = new TreeMap<>();
        for (String queue : endpoints.queues().all()) {
            if (queue.equals(endpoints.queues().runPromoted())) {
                continue;
            }
            String url = sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            long n = 0;
            for (QueueAttributeName name : List.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)) {
                n += Long.parseLong(a.getOrDefault(name, "0"));
            }
            depths.put(queue, n);
        }
        return depths;
    }

    static SqsClient sqs(LakeEndpoints endpoints) {
        return LakeAwsClients.sqs(endpoints.sqs(), endpoints.region(), endpoints.accessKeyId(), endpoints.secretAccessKey());
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }

    private static void progress(String format, Object... args) {
        System.err.printf(java.util.Locale.ROOT, format + "%n", args);
    }
}
