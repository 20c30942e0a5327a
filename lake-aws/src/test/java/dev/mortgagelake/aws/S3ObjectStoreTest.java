package dev.mortgagelake.aws;

import dev.mortgagelake.embedded.LocalAwsCredentials;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.ObjectStoreContract;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link ObjectStoreContract} for {@link S3ObjectStore} against the embedded s3proxy, plus S3 specifics. */
class S3ObjectStoreTest extends ObjectStoreContract {

    private static final String BUCKET = "object-store-contract";
    private static final int PAGE_SIZE = 100;
    private static final AtomicInteger LIST_REQUESTS = new AtomicInteger();

    private static S3Client countingClient;
    private static S3ObjectStore store;

    @BeforeAll
    static void createBucket() {
        EmbeddedServers.s3().createBucket(b -> b.bucket(BUCKET));
        countingClient = S3Client.builder()
                .endpointOverride(EmbeddedServers.s3Endpoint())
                .region(software.amazon.awssdk.regions.Region.of(LocalAwsCredentials.REGION))
                .credentialsProvider(LakeAwsClients.credentials(LocalAwsCredentials.ACCESS_KEY_ID, LocalAwsCredentials.SECRET_ACCESS_KEY))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build())
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof ListObjectsV2Request) {
                            LIST_REQUESTS.incrementAndGet();
                        }
                    }
                }))
                .build();
        store = new S3ObjectStore(countingClient, PAGE_SIZE);
    }

    @AfterAll
    static void closeClient() {
        if (countingClient != null) {
            countingClient.close();
        }
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Override
    protected String bucket() {
        return BUCKET;
    }

    /** Two and a half pages of {@value #PAGE_SIZE}: pagination is exercised without a thousand PUTs. */
    @Override
    protected int objectsForListing() {
        return 250;
    }

    @Test
    void listFollowsContinuationTokensPageByPage() {
        String prefix = "pages-" + UUID.randomUUID() + "/";
        IntStream.range(0, 2 * PAGE_SIZE + 1).parallel()
                .forEach(i -> store.create(new Location(BUCKET, prefix + String.format("%04d", i)), new byte[] {1}, "application/octet-stream"));
        int before = LIST_REQUESTS.get();

        assertThat(store.list(BUCKET, prefix)).hasSize(2 * PAGE_SIZE + 1);

        assertThat(LIST_REQUESTS.get() - before).as("ListObjectsV2 requests for 201 keys in pages of 100").isEqualTo(3);
    }

    @Test
    void etagsAreTheUnquotedMd5OfSinglePartContent() throws Exception {
        byte[] content = "etag".getBytes(StandardCharsets.UTF_8);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        Location location = new Location(BUCKET, "etag-" + UUID.randomUUID());

        StoredObject created = store.create(location, content, "text/plain");

        assertThat(created.etag()).isEqualTo(md5);
        assertThat(store.head(location)).hasValueSatisfying(h -> assertThat(h.etag()).isEqualTo(md5));
        assertThat(store.list(BUCKET, location.key())).singleElement().satisfies(o -> assertThat(o.etag()).isEqualTo(md5));
        assertThat(store.replaceIfMatch(location, "v2".getBytes(StandardCharsets.UTF_8), '"' + md5 + '"', "text/plain").etag())
                .as("a quoted expected ETag is accepted too").isNotEqualTo(md5);
    }

    @Test
    void aStreamLongerThanTheInMemoryLimitIsUploadedThroughATemporaryFile() throws Exception {
        byte[] content = new byte[S3ObjectStore.IN_MEMORY_STREAM_LIMIT + 1024];
        new java.util.Random(7).nextBytes(content);
        Location location = new Location(BUCKET, "large-" + UUID.randomUUID());
        java.io.InputStream oneShot = new java.io.FilterInputStream(new java.io.ByteArrayInputStream(content)) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };

        StoredObject created = store.create(location, oneShot, content.length, "application/octet-stream");

        assertThat(created.size()).isEqualTo(content.length);
        assertThat(store.read(location)).isEqualTo(content);
        assertThatThrownBy(() -> store.create(new Location(BUCKET, "short-" + UUID.randomUUID()),
                new java.io.ByteArrayInputStream(new byte[10]), 11, "application/octet-stream"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void aMissingBucketIsAPermanentFailureNotAMissingObject() {
        Location location = new Location("no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8), "key");

        assertThatThrownBy(() -> store.read(location))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
                .isNotInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.create(location, new byte[] {1}, "text/plain"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
                .isNotInstanceOf(ObjectAlreadyExistsException.class);
        assertThatThrownBy(() -> store.list(location.bucket(), ""))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void wrongCredentialsArePermanentFailures() {
        try (S3Client impostor = LakeAwsClients.s3(EmbeddedServers.s3Endpoint(), LocalAwsCredentials.REGION,
                LocalAwsCredentials.ACCESS_KEY_ID, "wrong-secret")) {
            S3ObjectStore rejected = new S3ObjectStore(impostor);
            assertThatThrownBy(() -> rejected.read(new Location(BUCKET, "anything")))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e).isNotInstanceOf(ObjectNotFoundException.class);
                    });
        }
    }
}
