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
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Requests by type (e.g. {@code UploadPartRequest}), counted as the SDK sends them. */
    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    /** Runs once before the next CompleteMultipartUpload of the key, then is removed. */
    private static final Map<String, Runnable> BEFORE_COMPLETE = new ConcurrentHashMap<>();

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
                        REQUESTS.computeIfAbsent(context.request().getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                        if (context.request() instanceof CompleteMultipartUploadRequest complete) {
                            Runnable competitor = BEFORE_COMPLETE.remove(complete.key());
                            if (competitor != null) {
                                competitor.run();
                            }
                        }
                    }
                }))
                .build();
        store = new S3ObjectStore(countingClient, PAGE_SIZE, S3ObjectStore.MIN_PART_SIZE);
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
        String prefix = twoPagesAndOneKey("pages-");
        int before = LIST_REQUESTS.get();

        assertThat(store.list(BUCKET, prefix)).hasSize(2 * PAGE_SIZE + 1);

        assertThat(LIST_REQUESTS.get() - before).as("ListObjectsV2 requests for 201 keys in pages of 100").isEqualTo(3);
    }

    @Test
    void aListingRequestsTheNextPageOnlyWhenTheStreamReachesIt() {
        String prefix = twoPagesAndOneKey("lazy-");
        int before = LIST_REQUESTS.get();

        assertThat(store.listing(BUCKET, prefix).limit(PAGE_SIZE)).hasSize(PAGE_SIZE);
        assertThat(LIST_REQUESTS.get() - before).as("the first page answers the first %d keys", PAGE_SIZE).isEqualTo(1);
        assertThat(store.listing(BUCKET, prefix).skip(PAGE_SIZE).findFirst()).hasValueSatisfying(
                o -> assertThat(o.location().key()).isEqualTo(prefix + String.format("%04d", PAGE_SIZE)));
        assertThat(LIST_REQUESTS.get() - before).as("key %d is on the second page", PAGE_SIZE).isEqualTo(3);
    }

    @Test
    void aFileLongerThanThePartSizeIsUploadedInPartsAndAStreamOnePartAtATime() throws Exception {
        byte[] content = largeContent(11);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("s3-object-store-", ".bin");
        Location fromFile = new Location(BUCKET, "parts-" + UUID.randomUUID());
        Location fromStream = new Location(BUCKET, "parts-" + UUID.randomUUID());
        try {
            java.nio.file.Files.write(file, content);
            int parts = count("UploadPartRequest");
            int completes = count("CompleteMultipartUploadRequest");
            int puts = count("PutObjectRequest");

            store.create(fromFile, file, "application/octet-stream");
            store.create(fromStream, oneShot(content), content.length, "application/octet-stream");

            assertThat(count("UploadPartRequest") - parts).as("11 MiB in parts of 5 MiB, twice").isEqualTo(6);
            assertThat(count("CompleteMultipartUploadRequest") - completes).isEqualTo(2);
            assertThat(count("PutObjectRequest") - puts).isZero();
            assertThat(store.read(fromFile)).isEqualTo(content);
            assertThat(store.read(fromStream)).isEqualTo(content);
            assertThat(store.head(fromFile).orElseThrow().etag()).as("S3's multipart ETag: md5 of the parts' md5s, dash, part count")
                    .endsWith("-3");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
            store.delete(fromFile);
            store.delete(fromStream);
        }
    }

    @Test
    void aMultipartCreateThatLosesTheRaceAtCompleteIsRefusedAndAborted() {
        byte[] content = largeContent(12);
        Location location = new Location(BUCKET, "race-" + UUID.randomUUID());
        byte[] competitor = "the competitor's content".getBytes(StandardCharsets.UTF_8);
        // The competitor writes after our existence check and parts, just before our complete request:
        // only If-None-Match on CompleteMultipartUpload can refuse us now.
        BEFORE_COMPLETE.put(location.key(), () -> EmbeddedServers.s3().putObject(b -> b.bucket(BUCKET).key(location.key()),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(competitor)));
        int aborts = count("AbortMultipartUploadRequest");
        try {
            assertThatThrownBy(() -> store.create(location, oneShot(content), content.length, "application/octet-stream"))
                    .isInstanceOfSatisfying(ObjectAlreadyExistsException.class, e -> assertThat(e.retryable()).isFalse());

            assertThat(store.read(location)).isEqualTo(competitor);
            assertThat(count("AbortMultipartUploadRequest") - aborts).isEqualTo(1);
            assertThat(incompleteUploads(location.key())).isEmpty();
        } finally {
            BEFORE_COMPLETE.remove(location.key());
            store.delete(location);
        }
    }

    @Test
    void aFailedMultipartUploadIsAbortedAndWritesNothing() {
        byte[] content = largeContent(13);
        Location location = new Location(BUCKET, "short-" + UUID.randomUUID());
        int aborts = count("AbortMultipartUploadRequest");

        assertThatThrownBy(() -> store.create(location, oneShot(content), content.length + 1L, "application/octet-stream"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e).hasMessageContaining("but the stream had " + content.length);
                });

        assertThat(count("AbortMultipartUploadRequest") - aborts).isEqualTo(1);
        assertThat(incompleteUploads(location.key())).isEmpty();
        assertThat(store.head(location)).isEmpty();
    }

    @Test
    void aCopyIsAMultipartCopyInsideTheServerPinnedToTheSource() {
        Location small = new Location(BUCKET, "copy-" + UUID.randomUUID());
        Location large = new Location(BUCKET, "copy-" + UUID.randomUUID());
        byte[] content = largeContent(14);
        store.create(small, "small".getBytes(StandardCharsets.UTF_8), "text/plain");
        StoredObject original = store.create(large, oneShot(content), content.length, "application/octet-stream");
        int copies = count("CopyObjectRequest");
        int partCopies = count("UploadPartCopyRequest");
        int gets = count("GetObjectRequest");
        try {
            store.copy(small, new Location(BUCKET, small.key() + "-copy"), null);
            StoredObject copied = store.copy(large, new Location(BUCKET, large.key() + "-copy"), original.etag());

            assertThat(count("CopyObjectRequest") - copies).as("CopyObject ignores If-None-Match on s3proxy").isZero();
            assertThat(count("UploadPartCopyRequest") - partCopies).as("one part for the small copy, 11 MiB in parts of 5 MiB")
                    .isEqualTo(1 + 3);
            assertThat(count("GetObjectRequest") - gets).as("no byte passed through this JVM").isZero();
            assertThat(copied.size()).isEqualTo(content.length);
            assertThat(store.read(copied.location())).isEqualTo(content);
            assertThat(store.read(new Location(BUCKET, small.key() + "-copy"))).isEqualTo("small".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> store.copy(large, new Location(BUCKET, large.key() + "-stale"), "0123456789abcdef0123456789abcdef-3"))
                    .isInstanceOf(dev.mortgagelake.storage.PreconditionFailedException.class);
            assertThat(store.head(new Location(BUCKET, large.key() + "-stale"))).isEmpty();
        } finally {
            for (String key : List.of(small.key(), small.key() + "-copy", large.key(), large.key() + "-copy")) {
                store.delete(new Location(BUCKET, key));
            }
        }
    }

    /** Writes {@code 2 * PAGE_SIZE + 1} one-byte objects named {@code 0000}, {@code 0001}, ... under a fresh prefix; the prefix. */
    private static String twoPagesAndOneKey(String name) {
        String prefix = name + UUID.randomUUID() + "/";
        IntStream.range(0, 2 * PAGE_SIZE + 1).parallel()
                .forEach(i -> store.create(new Location(BUCKET, prefix + String.format("%04d", i)), new byte[] {1}, "application/octet-stream"));
        return prefix;
    }

    private static int count(String requestType) {
        return REQUESTS.computeIfAbsent(requestType, k -> new AtomicInteger()).get();
    }

    private static List<String> incompleteUploads(String key) {
        return EmbeddedServers.s3().listMultipartUploads(b -> b.bucket(BUCKET).prefix(key)).uploads().stream()
                .map(u -> u.key() + " " + u.uploadId()).toList();
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
