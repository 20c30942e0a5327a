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
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Response;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
 * <p>Large objects: a file or stream longer than the part size (default
 * {@value #DEFAULT_PART_SIZE} bytes, at least {@value #MIN_PART_SIZE}) is uploaded as a multipart
 * upload ({@code CreateMultipartUpload}, {@code UploadPart}s, {@code CompleteMultipartUpload}),
 * so objects above PutObject's 5 GiB limit can be written, a stream is spooled one part at a time
 * (never whole), and a failed part is retried alone. Create-once is kept: the complete request
 * carries {@code If-None-Match: *} (S3 accepts conditions on the complete request only), so of
 * concurrent creators exactly one completes; a creator first checks that the key is free so it
 * does not upload gigabytes only to lose. Any failure aborts the upload, so no incomplete upload
 * (which S3 bills until a lifecycle rule removes it) is left behind. The part size grows when an
 * object would need more than {@value #MAX_PARTS} parts.
 *
 * <p>{@link #copy} is server-side and create-once: a multipart copy ({@code UploadPartCopy} of byte
 * ranges, each pinned to the source's ETag with {@code x-amz-copy-source-if-match}, completed with
 * {@code If-None-Match: *}); see {@link #copy} for why not {@code CopyObject}.
 *
 * <p>{@link #listing} pages through {@code ListObjectsV2} (at most {@value #MAX_PAGE_SIZE} keys per
 * request), requesting the next page only when the stream reaches it, in S3's key order. Instances
 * are immutable and thread-safe; the caller owns and closes the client.
 */
public final class S3ObjectStore implements ObjectStore {

    /** The largest page {@code ListObjectsV2} returns. */
    public static final int MAX_PAGE_SIZE = 1_000;

    /** Streams of at most this many bytes are buffered in memory before upload, longer ones in a temporary file. */
    public static final int IN_MEMORY_STREAM_LIMIT = 8 * 1024 * 1024;

    /** The default part size of multipart uploads and copies; longer objects are written in parts. */
    public static final long DEFAULT_PART_SIZE = 64L * 1024 * 1024;

    /** S3's smallest part (all but the last part of an upload must be at least this long). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /** S3's largest part (and largest single-request copy). */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    /** S3's largest number of parts in one upload. */
    public static final int MAX_PARTS = 10_000;

    private static final Logger LOG = Logger.getLogger(S3ObjectStore.class);

    private final S3Client s3;
    private final int listPageSize;
    private final long partSize;

    /** A store that lists in pages of {@value #MAX_PAGE_SIZE} keys and writes in parts of {@value #DEFAULT_PART_SIZE} bytes. */
    public S3ObjectStore(S3Client s3) {
        this(s3, MAX_PAGE_SIZE);
    }

    /** A store that lists in pages of {@code listPageSize} keys (1 to {@value #MAX_PAGE_SIZE}). */
    public S3ObjectStore(S3Client s3, int listPageSize) {
        this(s3, listPageSize, DEFAULT_PART_SIZE);
    }

    /**
     * A store that lists in pages of {@code listPageSize} keys (1 to {@value #MAX_PAGE_SIZE}) and
     * uploads and copies objects longer than {@code partSize} bytes ({@value #MIN_PART_SIZE} to
     * {@value #MAX_PART_SIZE}) in parts of that size.
     */
    public S3ObjectStore(S3Client s3, int listPageSize, long partSize) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (listPageSize < 1 || listPageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("listPageSize must be between 1 and " + MAX_PAGE_SIZE + ": " + listPageSize);
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("partSize must be between " + MIN_PART_SIZE + " and " + MAX_PART_SIZE
                    + " bytes (S3's smallest and largest part): " + partSize);
        }
        this.listPageSize = listPageSize;
        this.partSize = partSize;
    }

    /** Objects longer than this many bytes are uploaded and copied in parts. */
    public long partSize() {
        return partSize;
    }

    @Override
    public StoredObject create(Location location, byte[] bytes, String contentType) {
        return createOnce(location, RequestBody.fromBytes(bytes), bytes.length, contentType);
    }

    @Override
    public StoredObject create(Location location, Path file, String contentType) {
        long size = sizeOf(file, location);
        if (size > partSize) {
            return multipartUpload(location, size, contentType, true, (offset, length) -> fileRange(file, offset, length));
        }
        return createOnce(location, RequestBody.fromFile(file), size, contentType);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The stream is buffered first, in memory up to {@value #IN_MEMORY_STREAM_LIMIT} bytes and in
     * a temporary file beyond, so the SDK can read the body more than once: to hash it for the
     * signature when chunked encoding is off (every client of a local endpoint, see
     * {@link LakeAwsClients}) and to resend it on retry. ({@code RequestBody.fromInputStream} can
     * rewind at most 128 KiB and fails on longer streams in both cases.) A stream longer than the
     * part size is spooled one part at a time to a temporary file and uploaded in parts. A stream
     * that is shorter or longer than {@code length} is a non-retryable failure and nothing is
     * written.
     */
    @Override
    public StoredObject create(Location location, InputStream content, long length, String contentType) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        if (length > partSize) {
            return createInPartsFromStream(location, content, length, contentType);
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
        long size = sizeOf(file, location);
        if (size > partSize) {
            return multipartUpload(location, size, contentType, false, (offset, length) -> fileRange(file, offset, length));
        }
        return put(location, RequestBody.fromFile(file), size, contentType, b -> { },
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
    public InputStream openIfMatch(Location location, String expectedEtag) {
        Objects.requireNonNull(expectedEtag, "expectedEtag");
        try {
            return s3.getObject(b -> b.bucket(location.bucket()).key(location.key()).ifMatch(quote(expectedEtag)));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new PreconditionFailedException(location, expectedEtag, e);
            }
            throw readFailure("open", location, e);
        } catch (SdkException e) {
            throw readFailure("open", location, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Always a multipart copy: {@code CreateMultipartUpload}, one {@code UploadPartCopy} per part
     * (one part up to the part size), {@code CompleteMultipartUpload} with {@code If-None-Match: *}.
     * A single {@code CopyObject} would be one request instead of three, and S3 honours
     * {@code If-None-Match} on it, but s3proxy ignores that header on CopyObject (16 of 16
     * concurrent copies to one key all "won") while it honours it on CompleteMultipartUpload, as S3
     * does; with the condition on the complete request, create-once holds on both, by the one code
     * path the tests exercise. Every part is pinned to the source's ETag (read with HEAD first, also
     * when {@code sourceEtag} is null), so the size reported is the size of the bytes copied. The
     * copy's ETag is a multipart ETag ({@code <md5>-<parts>}), not the source's.
     */
    @Override
    public StoredObject copy(Location source, Location target, String sourceEtag) {
        HeadObjectResponse original;
        try {
            original = s3.headObject(b -> b.bucket(source.bucket()).key(source.key()));
        } catch (SdkException e) {
            throw readFailure("copy", source, e);
        }
        String etag = unquote(original.eTag());
        if (sourceEtag != null && !etag.equals(unquote(sourceEtag))) {
            throw new PreconditionFailedException(source, sourceEtag);
        }
        if (head(target).isPresent()) {
            throw new ObjectAlreadyExistsException(target);
        }
        long size = original.contentLength();
        long part = partSizeFor(size);
        try {
            return inMultipartUpload(target, original.contentType(), true, uploadId -> {
                List<CompletedPart> completed = new ArrayList<>();
                long offset = 0;
                int number = 1;
                do {
                    long end = Math.min(offset + part, size);
                    int partNumber = number;
                    // An empty source is one empty part: no range (bytes=0--1 is not a range).
                    String range = size == 0 ? null : "bytes=" + offset + "-" + (end - 1);
                    UploadPartCopyResponse response = s3.uploadPartCopy(b -> b.sourceBucket(source.bucket()).sourceKey(source.key())
                            .destinationBucket(target.bucket()).destinationKey(target.key())
                            .uploadId(uploadId).partNumber(partNumber).copySourceRange(range).copySourceIfMatch(quote(etag)));
                    completed.add(CompletedPart.builder().partNumber(partNumber).eTag(response.copyPartResult().eTag()).build());
                    offset = end;
                    number++;
                } while (offset < size);
                return completed;
            }, size);
        } catch (PreconditionFailedException e) {
            throw new PreconditionFailedException(source, etag, e.getCause());
        } catch (ObjectNotFoundException e) {
            throw new ObjectNotFoundException(source, e.getCause()); // deleted since the HEAD
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
    public Stream<StoredObject> listing(String bucket, String prefix) {
        String what = "list s3://" + bucket + "/" + prefix;
        Iterator<S3Object> objects;
        try {
            // The SDK requests the first page here, each later one when the previous page is used up.
            objects = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).maxKeys(listPageSize)).contents().iterator();
        } catch (SdkException e) {
            throw failure(what, e);
        }
        Iterator<StoredObject> mapped = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return objects.hasNext(); // fetches the next page when this one is used up
                } catch (SdkException e) {
                    throw failure(what, e);
                }
            }

            @Override
            public StoredObject next() {
                S3Object object;
                try {
                    object = objects.next();
                } catch (SdkException e) {
                    throw failure(what, e);
                }
                return new StoredObject(new Location(bucket, object.key()), object.size(), unquote(object.eTag()), object.lastModified());
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(mapped, Spliterator.ORDERED | Spliterator.NONNULL), false);
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

    /** The body of one part: {@code length} bytes from {@code offset} of the object's content. */
    private interface PartSource {
        RequestBody body(long offset, long length);
    }

    /** The part size for an object of {@code size} bytes: the configured one, grown to fit {@value #MAX_PARTS} parts. */
    private long partSizeFor(long size) {
        long fitting = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(partSize, fitting);
    }

    /**
     * One multipart upload of {@code size} bytes read from {@code parts}; create-once
     * ({@code If-None-Match: *} on the complete request) when {@code createOnce}. Aborted on any
     * failure, so S3 keeps no incomplete upload.
     */
    private StoredObject multipartUpload(Location location, long size, String contentType, boolean createOnce, PartSource parts) {
        if (createOnce && head(location).isPresent()) {
            throw new ObjectAlreadyExistsException(location); // checked first so a loser does not upload the whole object
        }
        long part = partSizeFor(size);
        return inMultipartUpload(location, contentType, createOnce, uploadId -> {
            List<CompletedPart> completed = new ArrayList<>();
            long offset = 0;
            for (int number = 1; offset < size; number++) {
                long length = Math.min(part, size - offset);
                int partNumber = number;
                UploadPartResponse response = s3.uploadPart(b -> b.bucket(location.bucket()).key(location.key())
                        .uploadId(uploadId).partNumber(partNumber).contentLength(length), parts.body(offset, length));
                completed.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
                offset += length;
            }
            return completed;
        }, size);
    }

    /**
     * A stream longer than the part size: each part is spooled to one temporary file (reused, so the
     * disk holds one part) and uploaded from there, which lets the SDK re-read a part on retry.
     */
    private StoredObject createInPartsFromStream(Location location, InputStream content, long length, String contentType) {
        Path spool;
        try {
            spool = Files.createTempFile("mortgage-lake-part-", ".part");
        } catch (IOException e) {
            throw new StorageException("Cannot buffer the content of " + location + ": " + e, true, e);
        }
        try {
            StoredObject created = multipartUpload(location, length, contentType, true, (offset, partLength) -> {
                try (OutputStream out = Files.newOutputStream(spool)) {
                    long copied = copyExactly(content, out, partLength);
                    if (copied < partLength) {
                        throw new StorageException("Expected " + length + " bytes for " + location + " but the stream had "
                                + (offset + copied), false);
                    }
                    if (offset + partLength == length && content.read() != -1) {
                        throw new StorageException("Expected " + length + " bytes for " + location + " but the stream had more", false);
                    }
                } catch (IOException e) {
                    throw new StorageException("Cannot read the content of " + location + ": " + e, true, e);
                }
                return RequestBody.fromFile(spool);
            });
            return created;
        } finally {
            deleteQuietly(spool);
        }
    }

    private interface PartUploads {
        List<CompletedPart> upload(String uploadId);
    }

    /**
     * Runs {@code uploads} inside one multipart upload of {@code location} and completes it
     * (create-once if {@code createOnce}); aborts the upload if anything fails, including the
     * complete request itself.
     */
    private StoredObject inMultipartUpload(Location location, String contentType, boolean createOnce, PartUploads uploads, long size) {
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(location.bucket()).key(location.key()).contentType(contentType)).uploadId();
        } catch (SdkException e) {
            throw failure("start a multipart upload of " + location, e);
        }
        boolean completed = false;
        try {
            List<CompletedPart> parts = uploads.upload(uploadId);
            CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                    .bucket(location.bucket()).key(location.key()).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
            if (createOnce) {
                complete.ifNoneMatch("*");
            }
            CompleteMultipartUploadResponse response = s3.completeMultipartUpload(complete.build());
            completed = true;
            return new StoredObject(location, size, unquote(response.eTag()), serverTime(response));
        } catch (S3Exception e) {
            if (createOnce && (e.statusCode() == 412 || isConditionalConflict(e)) && head(location).isPresent()) {
                throw new ObjectAlreadyExistsException(location, e);
            }
            if (e.statusCode() == 412) {
                throw new PreconditionFailedException(location, null, e); // a part's copy-source condition failed
            }
            if (e instanceof NoSuchKeyException) {
                throw new ObjectNotFoundException(location, e); // a part's copy source is gone
            }
            throw failure("write " + location + " in parts", e);
        } catch (SdkException e) {
            throw failure("write " + location + " in parts", e);
        } finally {
            if (!completed) {
                abortQuietly(location, uploadId);
            }
        }
    }

    /** Aborts an upload that will not be completed; a failure to abort is logged, not thrown (it would hide the cause). */
    private void abortQuietly(Location location, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
        } catch (SdkException e) {
            LOG.warnf(e, "Cannot abort the multipart upload %s of %s; a bucket lifecycle rule must remove it", uploadId, location);
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}, re-readable (the SDK may send a part twice). */
    private static RequestBody fileRange(Path file, long offset, long length) {
        return RequestBody.fromContentProvider(() -> {
            try {
                InputStream in = Files.newInputStream(file);
                in.skipNBytes(offset);
                return new BoundedInputStream(in, length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, length, "application/octet-stream");
    }

    /** Reads at most {@code limit} bytes of the wrapped stream. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }

    /** Copies up to {@code length} bytes; the number copied (less only if the stream ended). */
    private static long copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        while (copied < length) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - copied));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
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

    private static Instant serverTime(S3Response response) {
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

    /** {@code abc} or {@code "abc"} → {@code "abc"} (the form S3's conditional headers take). */
    private static String quote(String etag) {
        return '"' + unquote(etag) + '"';
    }

    /** {@code "abc"} → {@code abc}; {@code null} stays {@code null}. */
    static String unquote(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
