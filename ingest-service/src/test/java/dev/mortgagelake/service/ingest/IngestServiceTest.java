package dev.mortgagelake.service.ingest;

import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.ingest.notification.S3EventNotifications;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class IngestServiceTest {

    @Inject
    LandingSweepJob sweepJob;

    private final ObjectStore store = TestLake.objectStore();

    @Test
    void aNotifiedLandingIsCopiedVerbatimToBronzeAndAnnouncedWithFileLanded() throws Exception {
        byte[] content = uniqueCsv();
        StoredObject landed = store.replace(new Location(TestLake.LANDING_BUCKET, "incoming/notified file.csv"), content, "text/csv");

        notify(landed);
        LakeEvent<FileLanded> event = awaitFileLanded(sha256(content));

        FileLanded data = event.data();
        assertThat(data.source()).isEqualTo(landed.location());
        assertThat(data.sizeBytes()).isEqualTo(content.length);
        assertThat(data.bronze().bucket()).isEqualTo(TestLake.BRONZE_BUCKET);
        assertThat(data.bronze().key()).matches("bronze/mortgages/transactions/ingest_date=\\d{4}-\\d{2}-\\d{2}/run_id="
                + data.runId() + "/notified file\\.csv");
        assertThat(store.read(data.bronze())).isEqualTo(content);
        assertThatThrownBy(() -> store.create(data.bronze(), "overwrite".getBytes(StandardCharsets.UTF_8), "text/csv"))
                .isInstanceOf(ObjectAlreadyExistsException.class);
    }

    @Test
    void theSameNotificationTwiceAndTheSameContentUnderAnotherKeyMakeOneRun() throws Exception {
        byte[] content = uniqueCsv();
        StoredObject landed = store.replace(new Location(TestLake.LANDING_BUCKET, "incoming/twice.csv"), content, "text/csv");
        notify(landed);
        notify(landed);
        StoredObject copy = store.replace(new Location(TestLake.LANDING_BUCKET, "incoming/copy-of-twice.csv"), content, "text/csv");
        notify(copy);

        LakeEvent<FileLanded> event = awaitFileLanded(sha256(content));
        awaitDuplicateRecord(sha256(content));

        assertThat(receiveFileLanded(sha256(content), Duration.ofSeconds(3))).isEmpty();
        List<StoredObject> bronze = store.list(TestLake.BRONZE_BUCKET, "bronze/mortgages/transactions/");
        assertThat(bronze).filteredOn(o -> o.location().key().contains(event.data().runId())).hasSize(1);
        assertThat(bronze).noneMatch(o -> o.location().key().endsWith("copy-of-twice.csv"));
    }

    @Test
    void theSweepIngestsAFileWhoseNotificationNeverCame() throws Exception {
        byte[] content = uniqueCsv();
        store.replace(new Location(TestLake.LANDING_BUCKET, "incoming/never-notified.csv"), content, "text/csv");

        sweepJob.sweepLanding();

        LakeEvent<FileLanded> event = awaitFileLanded(sha256(content));
        assertThat(event.data().source().key()).isEqualTo("incoming/never-notified.csv");
    }

    @Test
    void aMessageThatIsNotAnS3NotificationEndsInTheDeadLetterQueue() {
        String marker = "not-a-notification-" + UUID.randomUUID();
        QueueProbe.send(TestLake.QUEUES.landing(), marker);

        assertThat(QueueProbe.take(TestLake.QUEUES.landing() + "-dlq", marker::equals, Duration.ofSeconds(60)))
                .as("the poison message reached the dead-letter queue").isPresent();
    }

    @Test
    void readinessReflectsS3AndSqsAndMetricsAreExported() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body(containsString("\"s3\""), containsString("\"sqs\""));
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    private void notify(StoredObject landed) {
        QueueProbe.send(TestLake.QUEUES.landing(),
                S3EventNotifications.objectCreated(landed.location(), landed.size(), landed.etag(), Instant.now()));
    }

    private LakeEvent<FileLanded> awaitFileLanded(String sha256) {
        return receiveFileLanded(sha256, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("No file-landed for sha256 " + sha256));
    }

    /** The file-landed event for {@code sha256}, checked against the contract fixture; others stay on the queue. */
    @SuppressWarnings("unchecked")
    private java.util.Optional<LakeEvent<FileLanded>> receiveFileLanded(String sha256, Duration timeout) {
        return QueueProbe.take(TestLake.QUEUES.fileLanded(), body -> body.contains("\"sha256\":\"" + sha256 + "\""), timeout)
                .map(body -> (LakeEvent<FileLanded>) (LakeEvent<?>) EventFixtures.assertConformsToFixture(body, EventType.FILE_LANDED));
    }

    private void awaitDuplicateRecord(String sha256) {
        String prefix = "bronze/_ingest/mortgages/transactions/duplicate-landings/sha256=" + sha256 + "/";
        await("the duplicate landing recorded under " + prefix).atMost(Duration.ofSeconds(30))
                .until(() -> !store.list(TestLake.BRONZE_BUCKET, prefix).isEmpty());
    }

    private static byte[] uniqueCsv() {
        return ("TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n"
                + UUID.randomUUID() + ",C1,10.00,EUR,2026-01-02T10:00:00Z\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
