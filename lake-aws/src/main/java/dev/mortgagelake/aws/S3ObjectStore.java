package dev.mortgagelake.aws;

import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.PreconditionFailedException;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An {@link ObjectStore} over an AWS SDK v2 {@link S3Client} (Amazon S3 or a compatible server).
 *
 * <p>Writes:
 * <ul>
 *   <li>{@code create} sends {@code If-None-Match: *}; a 412 (or a 409
 *       {@code ConditionalRequestConflict}, S3's answer to a concurrent conditional write) becomes
 *       {@link ObjectAlreadyExistsException}. If the SDK retried a create whose first attempt
 *       actually landed (e.g. after a timeout), the retry also gets 412: a caller that must know
 *       whether it won compares the stored content.</li>
 *   <li>{@code replaceIfMatch} sends {@code If-Match: "<etag>"}; 412 (or 409
 *       {@code ConditionalRequestConflict}) becomes {@link PreconditionFailedException}, 404
 *       {@link ObjectNotFoundException}.</li>
 * </ul>
 * Reads: {@code NoSuchKey} (404) on {@code read}, {@code open} and {@code download} becomes
 * {@link ObjectNotFoundException}, and {@code head} returns empty. A missing <em>bucket</em> is a
 * configuration error, reported as a non-retryable {@link StorageException}.
 *
 * <p>Everything else becomes a {@link StorageException} whose {@link StorageException#retryable()}
 * is decided by one predicate: throttling, 408, 429, 5xx, S3's "try again" conflicts and
 * client-side failures (I/O, timeouts: {@link SdkClientException}) are retryable; other 4xx are
 * not.
 *
 * <p>ETags are always returned <em>without</em> the surrounding double quotes S3 puts on the wire
 * (e.g. {@code 9b2cf535f27731c974343645a3985328}), in {@link StoredObject}s from writes, heads and
 * listings alike; {@code replaceIfMatch} accepts them in that form (quoted input is tolerated).
 * {@link StoredObject#lastModified()} of a write is the server's {@code Date} of the response (the
 * second S3 stamps as Last-Modified), or this machine's clock if the header is missing.
 *
 * <p>{@code create} from a stream buffers it first (memory up to {@value #IN_MEMORY_STREAM_LIMIT}
 * bytes, then a temporary file) so the SDK may re-read the body; see
 * {@link #create(Location, InputStream, long, String)}.
 *
 * <p>{@link #list} pages through {@code ListObjectsV2} (at most {@value #MAX_PAGE_SIZE} keys per
 * request) and returns every object under the prefix, in S3's key order. Instances are immutable
 * and thread-safe; the caller owns and closes the client.
 */
public final class S3ObjectStore implements ObjectStore {

    /** The largest page {@code ListObjectsV2} returns. */
    public static final int MAX_PAGE_SIZE = 1_000;

    /** Streams of at most this many bytes are buffered in memory before upload, longer ones in a temporary file. */
    public static final int IN_MEMORY_STREAM_LIMIT = 8 * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(S3ObjectStore.class);

    private final S3Client s3;
    private final int listPageSize;

    /** A store that lists in pages of {@value #MAX_PAGE_SIZE} keys. */
    public S3ObjectStore(S3Client s3) {
        this(s3, MAX_PAGE_SIZE);
    }

    /** A store that lists in pages of {@code listPageSize} keys (1 to {@value #MAX_PAGE_SIZE}). */
    public S3ObjectStore(S3Client s3, int listPageSize) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (listPageSize < 1 || listPageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("listPageSize must be between 1 and " + MAX_PAGE_SIZE + ": " + listPageSize);
        }
        this.listPageSize = listPageSize;
    }

    @Override
    public StoredObject create(Location location, byte[] bytes, String contentType) {
        return createOnce(location, RequestBody.fromBytes(bytes), bytes.length, contentType);
    }

    @Override
    public StoredObject create(Location location, Path file, String contentType) {
        return createOnce(location, RequestBody.fromFile(file), sizeOf(file, location), contentType);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The stream is buffered first, in memory up to {@value #IN_MEMORY_STREAM_LIMIT} bytes and in
     * a temporary file beyond, so the SDK can read the body more than once: to hash it for the
     * signature when chunked encoding is off (every client of a local endpoint, see
     * {@link LakeAwsClients}) and to resend it on retry. ({@code RequestBody.fromInputStream} can
     * rewind at most 128 KiB and fails on longer streams in both cases.) A stream that is shorter
     * or longer than {@code length} is a non-retryable failure and nothing is written.
     */
    @Override
    public StoredObject create(Location location, InputStream content, long length, String contentType) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        if (length <= IN_MEMORY_STREAM_LIMIT) {
            byte[] bytes = readExactly(content, (int) length, location);
            return createOnce(location, RequestBody.fromBytes(bytes), length, contentType);
        }
        Path spool = null;
        try {
            spool = Files.createTempFile("mortgage-lake-upload-", ".part");
            long copied = Files.copy(content, spool, StandardCopyOption.REPLACE_EXISTING);
            if (copied != length) {
                throw new StorageException("Expected " + length + " bytes for " + location + " but the stream had " + copied, false);
            }
            return createOnce(location, RequestBody.fromFile(spool), length, contentType);
        } catch (IOException e) {
            throw new StorageException("Cannot buffer the content of " + location + ": " + e, true, e);
        } finally {
            deleteQuietly(spool);
        }
    }

    @Override
    public StoredObject replace(Location location, byte[] bytes, String contentType) {
        return put(location, RequestBody.fromBytes(bytes), bytes.length, contentType, b -> { },
                e -> failure("replace " + location, e));
    }

    @Override
    public StoredObject replace(Location location, Path file, String contentType) {
        return put(location, RequestBody.fromFile(file), sizeOf(file, location), contentType, b -> { },
                e -> failure("replace " + location, e));
    }

    @Override
    public StoredObject replaceIfMatch(Location location, byte[] bytes, String expectedEtag, String contentType) {
        Objects.requireNonNull(expectedEtag, "expectedEtag");
        return put(location, RequestBody.fromBytes(bytes), bytes.length, contentType,
                b -> b.ifMatch('"' + unquote(expectedEtag) + '"'),
                e -> {
                    if (e.statusCode() == 412 || isConditionalConflict(e)) {
                        return new PreconditionFailedException(location, expectedEtag, e);
                    }
                    if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                        return new ObjectNotFoundException(location, e);
                    }
                    return failure("replace (If-Match) " + location, e);
                });
    }

    @Override
    public InputStream open(Location location) {
        try {
            return s3.getObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (SdkException e) {
            throw readFailure("open", location, e);
        }
    }

    @Override
    public byte[] read(Location location) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key())).asByteArray();
        } catch (SdkException e) {
            throw readFailure("read", location, e);
        }
    }

    @Override
    public Optional<StoredObject> head(Location location) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(location.bucket()).key(location.key()));
            return Optional.of(new StoredObject(location, head.contentLength(), unquote(head.eTag()), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return Optional.empty();
            }
            throw failure("head " + location, e);
        } catch (SdkException e) {
            throw failure("head " + location, e);
        }
    }

    @Override
    public List<StoredObject> list(String bucket, String prefix) {
        List<StoredObject> objects = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(listPageSize)).contents()) {
                objects.add(new StoredObject(new Location(bucket, object.key()), object.size(), unquote(object.eTag()),
                        object.lastModified()));
            }
        } catch (SdkException e) {
            throw failure("list s3://" + bucket + "/" + prefix, e);
        }
        return objects;
    }

    @Override
    public void download(Location location, Path target) {
        Path absoluteTarget = target.toAbsolutePath();
        Path partial;
        try {
            Files.createDirectories(absoluteTarget.getParent());
            partial = Files.createTempFile(absoluteTarget.getParent(), "." + absoluteTarget.getFileName(), ".part");
        } catch (IOException e) {
            throw new StorageException("Cannot prepare the download of " + location + " to " + target + ": " + e, false, e);
        }
        try {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(location.bucket()).key(location.key()))) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(partial, absoluteTarget, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, absoluteTarget, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (SdkException e) {
            throw readFailure("download", location, e);
        } catch (IOException e) {
            // Almost always the connection dropped mid-body; a local disk problem would recur on retry.
            throw new StorageException("Cannot download " + location + " to " + target + ": " + e, true, e);
        } finally {
            deleteQuietly(partial);
        }
    }

    @Override
    public void delete(Location location) {
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(location.key()));
        } catch (NoSuchKeyException e) {
            // already gone: deleting is idempotent
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return;
            }
            throw failure("delete " + location, e);
        } catch (SdkException e) {
            throw failure("delete " + location, e);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private StoredObject createOnce(Location location, RequestBody body, long size, String contentType) {
        return put(location, body, size, contentType, b -> b.ifNoneMatch("*"),
                e -> e.statusCode() == 412 || isConditionalConflict(e)
                        ? new ObjectAlreadyExistsException(location, e)
                        : failure("create " + location, e));
    }

    /**
     * One PutObject: {@code condition} adds the conditional header, {@code onS3Failure} maps an error
     * answer of S3 (other SDK failures are mapped by {@link #failure}).
     */
    private StoredObject put(Location location, RequestBody body, long size, String contentType,
                             Consumer<PutObjectRequest.Builder> condition,
                             Function<S3Exception, StorageException> onS3Failure) {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(location.bucket())
                .key(location.key())
                .contentType(contentType);
        condition.accept(request);
        PutObjectResponse response;
        try {
            response = s3.putObject(request.build(), body);
        } catch (S3Exception e) {
            throw onS3Failure.apply(e);
        } catch (SdkException e) {
            throw failure("write " + location, e);
        }
        return new StoredObject(location, size, unquote(response.eTag()), serverTime(response));
    }

    private StorageException readFailure(String action, Location location, SdkException e) {
        if (e instanceof NoSuchKeyException
                || e instanceof S3Exception s3e && s3e.statusCode() == 404 && !isNoSuchBucket(s3e)) {
            return new ObjectNotFoundException(location, e);
        }
        return failure(action + " " + location, e);
    }

    private static StorageException failure(String what, SdkException e) {
        return new StorageException("S3 failed to " + what + ": " + e.getMessage(), isRetryable(e), e);
    }

    /** The one predicate that says whether repeating a failed call can help. */
    private static boolean isRetryable(SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = errorCode(service);
            return service.isThrottlingException()
                    || status == 408 || status == 429 || status >= 500
                    || status == 409 && ("OperationAborted".equals(code) || "ConditionalRequestConflict".equals(code));
        }
        return e instanceof SdkClientException;
    }

    private static boolean isConditionalConflict(S3Exception e) {
        return e.statusCode() == 409 && "ConditionalRequestConflict".equals(errorCode(e));
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return "NoSuchBucket".equals(errorCode(e));
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static byte[] readExactly(InputStream content, int length, Location location) {
        try {
            byte[] bytes = content.readNBytes(length);
            if (bytes.length < length) {
                throw new StorageException("Expected " + length + " bytes for " + location + " but the stream had " + bytes.length, false);
            }
            if (content.read() != -1) {
                throw new StorageException("Expected " + length + " bytes for " + location + " but the stream had more", false);
            }
            return bytes;
        } catch (IOException e) {
            throw new StorageException("Cannot read the content of " + location + ": " + e, true, e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf(e, "Cannot remove the temporary file %s", file);
            }
        }
    }

    private static long sizeOf(Path file, Location location) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new StorageException("Cannot read " + file + " to write " + location + ": " + e, false, e);
        }
    }

    private static Instant serverTime(PutObjectResponse response) {
        return response.sdkHttpResponse().firstMatchingHeader("Date")
                .flatMap(S3ObjectStore::parseHttpDate)
                .orElseGet(Instant::now);
    }

    private static Optional<Instant> parseHttpDate(String value) {
        try {
            return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code "abc"} → {@code abc}; {@code null} stays {@code null}. */
    static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
