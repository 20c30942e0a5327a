package dev.mortgagelake.system;

import dev.mortgagelake.local.LakeClient;
import dev.mortgagelake.local.LandedFile;
import dev.mortgagelake.local.LocalLake;
import dev.mortgagelake.local.RunOutcome;
import dev.mortgagelake.local.fault.TcpFaultProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * S3 and SQS taken away from the running services (their line cut by a {@link TcpFaultProxy} while the
 * servers keep their state) for {@value #OUTAGE_SECONDS} seconds each — shorter than the minute of the
 * issue to keep the suite fast; nothing in the services depends on the length: they poll and hold with
 * backoff capped at 5 s. Every service reports not ready on {@code /q/health/ready} during the outage,
 * ready again after it, and a file landed during the outage is promoted afterwards without anyone
 * touching the lake: nothing is lost.
 */
class OutageSystemTest {

    static final int OUTAGE_SECONDS = 20;

    @TempDir
    static Path work;

    private static LocalLake lake;
    private static LakeClient client;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startTheLakeBehindFaultProxies() {
        Path root = Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
        lake = LocalLake.startBehindFaultProxies(root, work.resolve(".lake"), Map.of("lake.publish.audit.max-quarantine-rate", "1"));
        client = lake.client();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (lake != null) {
            lake.close();
        }
    }

    @Test
    void anS3OutageMakesEveryServiceNotReadyAndAFileLandedMeanwhileIsPromotedAfterIt() throws Exception {
        assertEveryServiceReady(true);
        TcpFaultProxy s3 = lake.s3Line();
        s3.cut();
        try {
            assertEveryServiceReady(false);
            LandedFile landed = client.land(csv("s3-outage"));
            // every service stays not ready for the whole outage
            await().during(Duration.ofSeconds(OUTAGE_SECONDS)).atMost(Duration.ofSeconds(OUTAGE_SECONDS + 30))
                    .pollInterval(Duration.ofSeconds(2)).until(OutageSystemTest::noServiceReady);
            s3.restore();
            RunOutcome outcome = client.awaitOutcome(landed, Duration.ofSeconds(120));
            assertThat(outcome.outcome()).as(outcome.detail()).isEqualTo("PROMOTED");
            assertThat(outcome.rows()).containsEntry("read", 2L).containsEntry("silver", 2L);
        } finally {
            s3.restore();
        }
        assertEveryServiceReady(true);
    }

    @Test
    void anSqsOutageMakesEveryServiceNotReadyAndTheyConsumeAgainByThemselvesAfterIt() throws Exception {
        assertEveryServiceReady(true);
        TcpFaultProxy sqs = lake.sqsLine();
        sqs.cut();
        LandedFile landed;
        try {
            assertEveryServiceReady(false);
            // the landing notification reaches SQS (the test talks to it directly); the services cannot
            landed = client.land(csv("sqs-outage"));
            await().during(Duration.ofSeconds(OUTAGE_SECONDS)).atMost(Duration.ofSeconds(OUTAGE_SECONDS + 30))
                    .pollInterval(Duration.ofSeconds(2)).until(OutageSystemTest::noServiceReady);
        } finally {
            sqs.restore();
        }
        RunOutcome outcome = client.awaitOutcome(landed, Duration.ofSeconds(120));
        assertThat(outcome.outcome()).as(outcome.detail()).isEqualTo("PROMOTED");
        assertThat(outcome.rows()).containsEntry("read", 2L).containsEntry("silver", 2L);
        assertEveryServiceReady(true);
    }

    private static void assertEveryServiceReady(boolean ready) {
        for (String service : LocalLake.SERVICES) {
            URI url = lake.service(service).url().resolve("/q/health/ready");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(status(url)).as("%s /q/health/ready", service).isEqualTo(ready ? 200 : 503));
        }
    }

    private static boolean noServiceReady() {
        return LocalLake.SERVICES.stream().noneMatch(service -> status(lake.service(service).url().resolve("/q/health/ready")) == 200);
    }

    private static int status(URI url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Path csv(String name) throws Exception {
        Path file = work.resolve(name + "-" + UUID.randomUUID() + ".csv");
        String id = UUID.randomUUID().toString();
        Files.writeString(file, "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp\n"
                + id + "-1,C-1,10.00,EUR,2026-03-02T10:00:00Z\n"
                + id + "-2,C-2,-5.25,USD,2026-03-03T10:00:00Z\n", StandardCharsets.UTF_8);
        return file;
    }
}
