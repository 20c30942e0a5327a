package dev.mortgagelake.aws;

import com.sun.net.httpserver.HttpServer;
import dev.mortgagelake.embedded.LocalAwsCredentials;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.PreconditionFailedException;
import dev.mortgagelake.storage.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@link S3ObjectStore} classifies S3 error answers the embedded server cannot be made to give
 * (throttling, 5xx, conflicts): a plain HTTP server on 127.0.0.1 answers every request with one
 * status and S3 error document, and the real SDK client talks to it without retries.
 */
class S3ObjectStoreErrorMappingTest {

    private static final Location LOCATION = new Location("bucket", "key");

    private HttpServer server;
    private S3Client s3;

    @AfterEach
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest(name = "{0} {1} on create is retryable={2}")
    @CsvSource({
            "500, InternalError, true",
            "503, SlowDown, true",
            "429, TooManyRequests, true",
            "409, OperationAborted, true",
            "400, InvalidArgument, false",
            "403, AccessDenied, false",
    })
    void createFailuresAreClassifiedByOnePredicate(int status, String code, boolean retryable) throws IOException {
        S3ObjectStore store = storeAnswering(status, code);

        assertThatThrownBy(() -> store.create(LOCATION, new byte[] {1}, "text/plain"))
                .isExactlyInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isEqualTo(retryable));
    }

    @ParameterizedTest(name = "{0} {1} on read is retryable={2}")
    @CsvSource({
            "500, InternalError, true",
            "503, SlowDown, true",
            "403, AccessDenied, false",
    })
    void readFailuresAreClassifiedByOnePredicate(int status, String code, boolean retryable) throws IOException {
        S3ObjectStore store = storeAnswering(status, code);

        assertThatThrownBy(() -> store.read(LOCATION))
                .isExactlyInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isEqualTo(retryable));
        assertThatThrownBy(() -> store.head(LOCATION))
                .isExactlyInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isEqualTo(retryable));
    }

    @Test
    void aConcurrentConditionalWriteConflictLosesTheCreate() throws IOException {
        S3ObjectStore store = storeAnswering(409, "ConditionalRequestConflict");

        assertThatThrownBy(() -> store.create(LOCATION, new byte[] {1}, "text/plain"))
                .isInstanceOf(ObjectAlreadyExistsException.class);
        assertThatThrownBy(() -> store.replaceIfMatch(LOCATION, new byte[] {1}, "abc", "text/plain"))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void noSuchKeyIsNotFound() throws IOException {
        S3ObjectStore store = storeAnswering(404, "NoSuchKey");

        assertThatThrownBy(() -> store.read(LOCATION)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.replaceIfMatch(LOCATION, new byte[] {1}, "abc", "text/plain"))
                .isInstanceOf(ObjectNotFoundException.class);
        assertThat(store.head(LOCATION)).isEmpty();
    }

    @Test
    void anUnreachableEndpointIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        S3ObjectStore store = new S3ObjectStore(client(URI.create("http://127.0.0.1:" + closedPort)));

        assertThatThrownBy(() -> store.read(LOCATION))
                .isExactlyInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).retryable()).isTrue());
    }

    private S3ObjectStore storeAnswering(int status, String code) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + code
                + "</Message><RequestId>test</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return new S3ObjectStore(client(URI.create("http://127.0.0.1:" + server.getAddress().getPort())));
    }

    private S3Client client(URI endpoint) {
        s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(LocalAwsCredentials.REGION))
                .credentialsProvider(LakeAwsClients.credentials(LocalAwsCredentials.ACCESS_KEY_ID, LocalAwsCredentials.SECRET_ACCESS_KEY))
                .forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        return s3;
    }
}
