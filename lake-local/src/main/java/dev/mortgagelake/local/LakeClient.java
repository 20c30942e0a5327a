package dev.mortgagelake.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.aws.S3ObjectStore;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.InvalidEventException;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.ingest.ContentClaim;
import dev.mortgagelake.ingest.notification.S3EventNotifications;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.table.CommitPolicy;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lands files into a running lake and reports what became of them, by reading the lake's own
 * records: the content claim (run id), the validation record (counts), and the {@code run-promoted}
 * event or a held-run record. Used by {@code ./lake land}, {@code ./lake demo} and the system tests.
 */
public final class LakeClient implements AutoCloseable {

    private final S3Client s3;
    private final SqsClient sqs;
    private final boolean ownsClients;
    private final LakeEndpoints endpoints;
    private final ObjectStore store;
    private final LakeLayout layout;
    private final ObjectMapper json = EventCodec.mapper();

    LakeClient(S3Client s3, SqsClient sqs, LakeEndpoints endpoints) {
        this(s3, sqs, endpoints, false);
    }

    private LakeClient(S3Client s3, SqsClient sqs, LakeEndpoints endpoints, boolean ownsClients) {
        this.s3 = s3;
        this.sqs = sqs;
        this.endpoints = endpoints;
        this.ownsClients = ownsClients;
        this.store = new S3ObjectStore(s3);
        this.layout = new LakeLayout(endpoints.buckets());
    }

    /** A client of a lake started elsewhere (e.g. by {@code ./lake up}). */
    public static LakeClient connect(LakeEndpoints endpoints) {
        return new LakeClient(
                LakeAwsClients.s3(endpoints.s3(), endpoints.region(), endpoints.accessKeyId(), endpoints.secretAccessKey()),
                LakeAwsClients.sqs(endpoints.sqs(), endpoints.region(), endpoints.accessKeyId(), endpoints.secretAccessKey()),
                endpoints, true);
    }

    public ObjectStore store() {
        return store;
    }

    public LakeLayout layout() {
        return layout;
    }

    /**
     * Puts {@code file} into the landing zone under {@code incoming/<file name>} and delivers the S3
     * ObjectCreated notification to the landing queue, as S3 would.
     */
    public LandedFile land(Path file) {
        return land(file, endpoints.landingPrefix() + file.getFileName());
    }

    public LandedFile land(Path file, String landingKey) {
        Location location = new Location(endpoints.buckets().landing(), landingKey);
        StoredObject stored = store.replace(location, file, "application/octet-stream");
        notifyLanding(stored);
        return new LandedFile(location, stored.etag(), sha256(file), stored.size());
    }

    /** Sends the landing queue an S3 ObjectCreated notification for {@code object}. */
    public void notifyLanding(StoredObject object) {
        String queueUrl = sqs.getQueueUrl(r -> r.queueName(endpoints.queues().landing())).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(
                S3EventNotifications.objectCreated(object.location(), object.size(), object.etag(), Instant.now())));
    }

    /** Waits until the landed file has an outcome: promoted, held, rejected, a duplicate, or timed out. */
    public RunOutcome awaitOutcome(LandedFile landed, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Location claimLocation = layout.contentClaim(landed.sha256());
        Optional<ContentClaim> claim = poll(deadline, () -> store.head(claimLocation).map(o -> readJson(claimLocation, ContentClaim.class)));
        if (claim.isEmpty()) {
            return timedOut(null, landed, "ingest-service did not claim the file's content (no content claim for sha256 "
                    + landed.sha256() + ")");
        }
        String runId = claim.get().runId();
        boolean duplicate = !claim.get().source().equals(landed.location()) || !claim.get().sourceEtag().equals(landed.etag());
        Location record = layout.validationRecord(RunId.of(runId));
        Optional<RunValidated> validated = poll(deadline, () -> store.head(record).map(o -> readJson(record, RunValidated.class)));
        if (validated.isEmpty()) {
            return timedOut(runId, landed, "validation-service has not validated run " + runId);
        }
        RunValidated run = validated.get();
        if (duplicate) {
            return outcome(run, landed, "DUPLICATE_CONTENT", null, null,
                    "The same bytes were already ingested from " + claim.get().source() + " as run " + runId + "; no new run");
        }
        if (RunValidated.OUTCOME_FILE_REJECTED.equals(run.outcome())) {
            return outcome(run, landed, "FILE_REJECTED", null, null,
                    run.fileRejection().code() + ": " + run.fileRejection().message());
        }
        Location held = new RunPromotion(store, layout, run.schemaVersion(), CommitPolicy.DEFAULT, Clock.systemUTC()).heldRecord(runId);
        Optional<Object> promotedOrHeld = poll(deadline, () -> {
            Optional<RunPromoted> promoted = takePromoted(runId);
            if (promoted.isPresent()) {
                return Optional.of(promoted.get());
            }
            return store.head(held).map(o -> (Object) readTree(held));
        });
        if (promotedOrHeld.isEmpty()) {
            return timedOut(runId, landed, "publish-service has not promoted or held run " + runId);
        }
        if (promotedOrHeld.get() instanceof RunPromoted promoted) {
            return outcome(run, landed, "PROMOTED", promoted.tableVersion(), readTree(promoted.latest()), null);
        }
        return outcome(run, landed, "HELD", null, null, promotedOrHeld.get().toString());
    }

    /**
     * Waits for the {@code run-promoted} of {@code runId} (any run: first ingests, backfills, retry
     * runs) and takes it off the queue; empty when none came within {@code timeout}.
     */
    public Optional<RunPromoted> awaitPromoted(String runId, Duration timeout) {
        return poll(Instant.now().plus(timeout), () -> takePromoted(runId));
    }

    /** Reads a {@code run-promoted} event for {@code runId} off the queue; other runs' events are left for their readers. */
    private Optional<RunPromoted> takePromoted(String runId) {
        String queueUrl = sqs.getQueueUrl(r -> r.queueName(endpoints.queues().runPromoted())).queueUrl();
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        RunPromoted found = null;
        for (Message message : messages) {
            LakeEvent<RunPromoted> event;
            try {
                event = EventCodec.decode(message.body(), EventType.RUN_PROMOTED);
            } catch (InvalidEventException e) {
                release(queueUrl, message);
                continue;
            }
            if (runId.equals(event.subject()) && found == null) {
                found = event.data();
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            } else {
                release(queueUrl, message);
            }
        }
        return Optional.ofNullable(found);
    }

    private void release(String queueUrl, Message message) {
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
    }

    private RunOutcome outcome(RunValidated run, LandedFile landed, String outcome, Long version, JsonNode latest, String detail) {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("read", run.counts().rowsRead());
        rows.put("silver", run.counts().silver());
        rows.put("quarantined", run.counts().quarantined());
        rows.put("condemned", run.counts().condemned());
        List<String> silver = run.partitions().stream().map(p -> p.manifest().sibling("").toString()).toList();
        return new RunOutcome(run.runId(), outcome, landed.location().toString(), run.bronze().toString(), rows,
                run.quarantine() == null ? Map.of() : run.quarantine().errorCounts(), silver,
                run.quarantine() == null ? null : run.quarantine().location().toString(), version, latest, detail);
    }

    private RunOutcome timedOut(String runId, LandedFile landed, String detail) {
        return new RunOutcome(runId, "TIMED_OUT", landed.location().toString(), null, Map.of(), Map.of(), List.of(), null,
                null, null, detail);
    }

    private interface Probe<T> {
        Optional<T> probe();
    }

    private static <T> Optional<T> poll(Instant deadline, Probe<T> probe) {
        while (true) {
            Optional<T> value = probe.probe();
            if (value.isPresent() || Instant.now().isAfter(deadline)) {
                return value;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private <T> T readJson(Location location, Class<T> type) {
        try {
            return json.readValue(store.read(location), type);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable " + location, e);
        }
    }

    /** A JSON document of the lake (e.g. {@code _LATEST.json}) as a tree. */
    public JsonNode readTree(Location location) {
        try {
            return json.readTree(store.read(location));
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable " + location, e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (ownsClients) {
            s3.close();
            sqs.close();
        }
    }
}
