package dev.mortgagelake.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conditional-write semantics the lake relies on, checked against the real s3proxy child process. */
class EmbeddedS3ServerTest {

    private static final String BUCKET = "conditional-writes";

    private static EmbeddedS3Server server;
    private static S3Client s3;

    @BeforeAll
    static void startServer() {
        server = EmbeddedS3Server.inMemory().start();
        s3 = client(server.endpoint(), LocalAwsCredentials.SECRET_ACCESS_KEY);
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopServer() {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void createOnceOnAnExistingKeyFailsWith412() {
        put("create-once.txt", "first", null, "*");

        assertThatThrownBy(() -> put("create-once.txt", "second", null, "*"))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(get("create-once.txt")).isEqualTo("first");
    }

    @Test
    void replaceWithAStaleEtagFailsWith412() {
        String stale = put("if-match.txt", "v1", null, null).eTag();
        String current = put("if-match.txt", "v2", stale, null).eTag();

        assertThatThrownBy(() -> put("if-match.txt", "v3", stale, null))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(get("if-match.txt")).isEqualTo("v2");
        assertThat(current).isNotEqualTo(stale);
    }

    @Test
    void sixteenConcurrentCreateOnceWritersHaveExactlyOneWinner() throws Exception {
        int writers = 16;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "writer-" + i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        put("race.txt", body, null, "*");
                        return body;
                    } catch (S3Exception e) {
                        assertThat(e.statusCode()).as("a losing create-once write").isIn(409, 412);
                        return null;
                    }
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                String winner = outcome.get(60, TimeUnit.SECONDS);
                if (winner != null) {
                    winners.add(winner);
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(get("race.txt")).isEqualTo(winners.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void requestsSignedWithAnotherSecretAreRejected() {
        try (S3Client impostor = client(server.endpoint(), "not-the-secret")) {
            assertThatThrownBy(() -> impostor.listBuckets())
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    @Test
    void onDiskServerKeepsObjectsInItsDataDirectoryAndStopsIdempotently(@TempDir Path data) {
        EmbeddedS3Server onDisk = EmbeddedS3Server.onDisk(data).start();
        try (S3Client client = client(onDisk.endpoint(), LocalAwsCredentials.SECRET_ACCESS_KEY)) {
            client.createBucket(b -> b.bucket("kept"));
            client.putObject(b -> b.bucket("kept").key("a/b.txt"), RequestBody.fromString("on disk"));
        } finally {
            onDisk.stop();
        }
        onDisk.stop();

        assertThat(onDisk.isRunning()).isFalse();
        assertThat(data.resolve("kept").resolve("a").resolve("b.txt")).hasContent("on disk");
        assertThat(onDisk.workDirectory()).hasValueSatisfying(dir -> assertThat(Files.exists(dir)).isFalse());
        assertThatThrownBy(onDisk::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aServerThatDoesNotComeUpInTimeFailsWithItsLogAndLeavesNoProcess() throws IOException {
        EmbeddedS3Server slow = EmbeddedS3Server.inMemory().withStartupTimeout(Duration.ofMillis(1));
        long childrenBefore = ProcessHandle.current().children().count();

        assertThatThrownBy(slow::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not answer")
                .hasMessageContaining("s3proxy.log");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isEqualTo(childrenBefore);
        assertThat(slow.isRunning()).isFalse();
        assertThat(slow.workDirectory()).hasValueSatisfying(dir -> assertThat(dir.resolve("s3proxy.properties")).exists());
        deleteRecursively(slow.workDirectory().orElseThrow());
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static PutObjectResponse put(String key, String body, String ifMatch, String ifNoneMatch) {
        return s3.putObject(b -> b.bucket(BUCKET).key(key).ifMatch(ifMatch).ifNoneMatch(ifNoneMatch),
                RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    private static String get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }

    static S3Client client(URI endpoint, String secret) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(LocalAwsCredentials.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalAwsCredentials.ACCESS_KEY_ID, secret)))
                // Plain bodies: s3proxy answers aws-chunked PUTs early over HTTP (see EmbeddedS3Server).
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
