package dev.mortgagelake.service.validation;

import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import dev.mortgagelake.validation.sample.SampleFileGenerator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a one-second visibility timeout and a file whose validation takes several seconds, the message
 * stays invisible for the whole validation (the consumer extends it): a second consumer polling the same
 * queue meanwhile receives nothing, and the run is validated and announced exactly once.
 */
@QuarkusTest
@TestProfile(VisibilityHeartbeatTest.OneSecondVisibility.class)
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class VisibilityHeartbeatTest {

    /** file-landed messages become visible again one second after a receive unless extended. */
    public static class OneSecondVisibility implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.file-landed.visibility-timeout", "1");
        }
    }

    private static final Pattern EXTENSIONS = Pattern.compile(
            "lake_message_visibility_extensions_total\\{channel=\"file-landed\"} ([0-9.]+)");

    private static final int ROWS = 400_000;

    private final LakeLayout layout = new LakeLayout(TestLake.BUCKETS);

    @Test
    void aValidationLongerThanTheVisibilityTimeoutRunsOnceAndNoSecondConsumerGetsItsMessage() throws Exception {
        // the service consumes (a small file first), then the long one is generated: generating it must not
        // starve the application's start on a busy machine
        FileLanded probe = landInBronze(("TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n"
                + "H-" + java.util.UUID.randomUUID() + ",C1,1.00,EUR,2026-01-02T10:00:00Z\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        QueueProbe.send(TestLake.QUEUES.fileLanded(), EventCodec.encode(LakeEvents.fileLanded(probe)));
        QueueProbe.await(TestLake.QUEUES.runValidatedForPublish(), b -> b.contains("\"subject\":\"" + probe.runId() + "\""), Duration.ofSeconds(60));
        QueueProbe.await(TestLake.QUEUES.runValidatedForRetry(), b -> b.contains("\"subject\":\"" + probe.runId() + "\""), Duration.ofSeconds(60));
        double extensionsBefore = extensions();

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        SampleFileGenerator.write(SampleFileGenerator.Options.of(ROWS, ThreadLocalRandom.current().nextLong()).withGzip(true), file);
        FileLanded landed = landInBronze(file.toByteArray());
        String queueUrl = TestLake.queueUrl(TestLake.QUEUES.fileLanded());

        QueueProbe.send(TestLake.QUEUES.fileLanded(), EventCodec.encode(LakeEvents.fileLanded(landed)));

        // A second consumer of the same queue for as long as the validation runs.
        List<String> receivedBySecondConsumer = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        Optional<String> validated = Optional.empty();
        while (validated.isEmpty() && Instant.now().isBefore(deadline)) {
            for (Message message : TestLake.sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                if (message.body().contains(landed.runId())) {
                    receivedBySecondConsumer.add(message.messageId());
                }
                TestLake.sqs().changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
            }
            validated = QueueProbe.take(TestLake.QUEUES.runValidatedForPublish(), b -> b.contains("\"subject\":\"" + landed.runId() + "\""),
                    Duration.ofMillis(100));
        }

        assertThat(validated).as("run-validated of the long run").isPresent();
        assertThat(receivedBySecondConsumer).as("messages of the run received by a second consumer during its validation").isEmpty();
        assertThat(EventCodec.<RunValidated>decode(validated.get(), EventType.RUN_VALIDATED).data().counts().rowsRead()).isEqualTo(ROWS);
        // the work outlasted the one-second timeout several times over: one extension every third of a second
        assertThat(extensions() - extensionsBefore).isGreaterThanOrEqualTo(6);
        // exactly once: no second announcement of the run follows
        assertThat(QueueProbe.take(TestLake.QUEUES.runValidatedForPublish(), b -> b.contains("\"subject\":\"" + landed.runId() + "\""),
                Duration.ofSeconds(4))).isEmpty();
        QueueProbe.await(TestLake.QUEUES.runValidatedForRetry(), b -> b.contains("\"subject\":\"" + landed.runId() + "\""), Duration.ofSeconds(30));
    }

    private static double extensions() {
        Matcher m = EXTENSIONS.matcher(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private FileLanded landInBronze(byte[] content) throws Exception {
        FileLanded fixture = EventFixtures.<FileLanded>decoded(EventType.FILE_LANDED).data();
        Instant now = Instant.now();
        RunId runId = RunId.newRun(now);
        LocalDate ingestDate = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Location bronze = layout.bronzeFile(ingestDate, runId, "long.csv.gz");
        TestLake.objectStore().create(bronze, content, "application/gzip");
        return new FileLanded(runId.value(), fixture.dataset(), fixture.schemaVersion(), fixture.runKind(), ingestDate,
                new Location(TestLake.LANDING_BUCKET, "incoming/long.csv.gz"), bronze,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), content.length, now, List.of());
    }
}
