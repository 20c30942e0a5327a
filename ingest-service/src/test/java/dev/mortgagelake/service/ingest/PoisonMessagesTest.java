package dev.mortgagelake.service.ingest;

import dev.mortgagelake.event.EventType;
import dev.mortgagelake.ingest.notification.S3EventNotifications;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.PoisonMessages;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poison messages on the landing queue reach its dead-letter queue after a bounded number of receives,
 * are logged and counted by reason, and the notifications behind them are ingested. A notification of
 * an object deleted before ingest is not poison: there is nothing to ingest, it is counted as
 * {@code outcome="missing"} and acknowledged.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class PoisonMessagesTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    private final ObjectStore store = TestLake.objectStore();

    @Test
    void poisonNotificationsAreDeadLetteredAndTheLandingBehindThemIsIngested() throws Exception {
        String queue = TestLake.QUEUES.landing();
        String marker = "poison-" + UUID.randomUUID();

        QueueProbe.send(queue, PoisonMessages.notJson(marker + "-not-json"));
        // a lake event is not an S3 notification: no Records array
        QueueProbe.send(queue, PoisonMessages.newerVersion(EventType.FILE_LANDED, marker + "-event"));
        Location vanished = new Location(TestLake.LANDING_BUCKET, "incoming/vanished-" + marker + ".csv");
        QueueProbe.send(queue, S3EventNotifications.objectCreated(vanished, 10, "0123456789abcdef0123456789abcdef", Instant.now()));
        byte[] content = ("TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n"
                + marker + ",C1,10.00,EUR,2026-01-02T10:00:00Z\n").getBytes(StandardCharsets.UTF_8);
        StoredObject landed = store.replace(new Location(TestLake.LANDING_BUCKET, "incoming/behind-" + marker + ".csv"), content, "text/csv");
        QueueProbe.send(queue, S3EventNotifications.objectCreated(landed.location(), landed.size(), landed.etag(), Instant.now()));

        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        QueueProbe.await(TestLake.QUEUES.fileLanded(), b -> b.contains("\"sha256\":\"" + sha256 + "\""), WITHIN);

        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-not-json", WITHIN)).contains("not an event");
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-event", WITHIN)).contains("file-landed.v2");
        assertThat(QueueProbe.take(queue + "-dlq", b -> b.contains(vanished.key()), Duration.ofSeconds(2)))
                .as("a notification of a vanished object is acknowledged, not dead-lettered").isEmpty();

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("lake_poison_messages_total{channel=\"landing\",reason=\"not_json\",service=\"ingest-service\"}");
        assertThat(metrics).contains("lake_poison_messages_total{channel=\"landing\",reason=\"unknown_type\",service=\"ingest-service\"}");
        assertThat(metrics).contains("lake_landings_total{outcome=\"missing\",path=\"notification\"}");
    }
}
