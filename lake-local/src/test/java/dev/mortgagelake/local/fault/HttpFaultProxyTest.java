package dev.mortgagelake.local.fault;

import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.embedded.EmbeddedS3Server;
import dev.mortgagelake.embedded.LocalAwsCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault proxy between a real S3 client and the embedded S3 server (s3proxy). */
class HttpFaultProxyTest {

    private static final String BUCKET = "fault-proxy";

    private static EmbeddedS3Server server;
    private static S3Client direct;

    @BeforeAll
    static void startServer() {
        server = EmbeddedS3Server.inMemory().start();
        direct = client(server.endpoint());
        direct.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopServer() {
        if (direct != null) {
            direct.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static S3Client client(URI endpoint) {
        return LakeAwsClients.s3(endpoint, LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID,
                LocalAwsCredentials.SECRET_ACCESS_KEY);
    }

    @Test
    void withoutFaultsItIsATransparentProxyForEveryKindOfRequest() {
        try (HttpFaultProxy proxy = HttpFaultProxy.start(server.endpoint(), HttpFaultProxy.Faults.NONE, 1);
             S3Client s3 = client(proxy.endpoint())) {
            byte[] large = new byte[3 * 1024 * 1024];
            new Random(3).nextBytes(large);
            s3.putObject(b -> b.bucket(BUCKET).key("plain/large.bin"), RequestBody.fromBytes(large));
            s3.putObject(b -> b.bucket(BUCKET).key("plain/empty.bin"), RequestBody.empty());
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("plain/large.bin")).asByteArray()).isEqualTo(large);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("plain/empty.bin")).asByteArray()).isEmpty();
            assertThat(s3.headObject(b -> b.bucket(BUCKET).key("plain/large.bin")).contentLength()).isEqualTo(large.length);
            assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("plain/")).contents()).hasSize(2);
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("plain/missing")))
                    .isInstanceOf(S3Exception.class).satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
            s3.deleteObject(b -> b.bucket(BUCKET).key("plain/empty.bin"));
            assertThat(proxy.faultsInjected()).isZero();
            assertThat(proxy.requests()).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void theSdkRetriesEveryInjectedFaultAndEveryObjectArrivesIntact() {
        try (HttpFaultProxy proxy = HttpFaultProxy.start(server.endpoint(), new HttpFaultProxy.Faults(0.15, 0), 42);
             S3Client s3 = client(proxy.endpoint())) {
            int failed = 0;
            for (int i = 0; i < 150; i++) {
                String key = "faulty/object-" + i;
                String content = "content of object " + i;
                try {
                    s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
                    ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
                    assertThat(read.asString(StandardCharsets.UTF_8)).isEqualTo(content);
                } catch (RuntimeException e) {
                    failed++; // every attempt of one call failed (0.15^3 per call): the caller sees an error, never wrong data
                }
            }
            Map<String, Long> counts = proxy.counts();
            assertThat(counts.get(HttpFaultProxy.SLOW_DOWN)).isPositive();
            assertThat(counts.get(HttpFaultProxy.INTERNAL_ERROR)).isPositive();
            assertThat(counts.get(HttpFaultProxy.RESET_BEFORE)).isPositive();
            assertThat(counts.get(HttpFaultProxy.RESET_AFTER)).isPositive();
            assertThat(counts.get(HttpFaultProxy.SLOW)).isPositive();
            assertThat(proxy.faultsInjected()).isGreaterThan(20);
            assertThat(failed).isLessThanOrEqualTo(5);
            // what reached the server is what was written, read without the proxy
            for (int i = 0; i < 150; i++) {
                int n = i;
                direct.headObject(b -> b.bucket(BUCKET).key("faulty/object-" + n));
            }
        }
    }

    @Test
    void aThrottlingAnswerIsS3sSlowDownDocument() {
        try (HttpFaultProxy proxy = HttpFaultProxy.start(server.endpoint(), new HttpFaultProxy.Faults(1.0, 0), 5)) {
            // one fault per request; with a seed whose first draw is an error document, a single raw request shows it
            int status = 0;
            String body = "";
            for (int i = 0; i < 20 && status < 500; i++) {
                try {
                    var response = java.net.http.HttpClient.newHttpClient().send(
                            java.net.http.HttpRequest.newBuilder(proxy.endpoint().resolve("/" + BUCKET)).GET().build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    status = response.statusCode();
                    body = response.body();
                } catch (Exception e) {
                    // a reset: try again
                }
            }
            assertThat(status).isIn(500, 503);
            assertThat(body).containsAnyOf("<Code>SlowDown</Code>", "<Code>InternalError</Code>");
        }
    }
}
