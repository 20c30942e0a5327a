package dev.mortgagelake.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The lake's view of an object store (S3 in production, a local directory for offline validation).
 *
 * <p>Two write modes matter for correctness:
 * <ul>
 *   <li>{@code create} is create-once ({@code If-None-Match: *}): exactly one of any number of
 *       concurrent writers of a key succeeds; the others get {@link ObjectAlreadyExistsException}.
 *       Every commit in the lake (Bronze copies, run markers, snapshot versions, ledger entries) is
 *       built on this, because it is atomic on S3 and on the local S3 server.</li>
 *   <li>{@code replace} overwrites; {@code replaceIfMatch} checks the current ETag first. The lake
 *       never relies on {@code replaceIfMatch} being atomic under concurrent writers (the local
 *       S3 server does not guarantee it); it is only an optimistic guard for single writers.</li>
 * </ul>
 * {@code copy} is create-once too, and server-side: the bytes never pass through this JVM.
 * {@code delete} exists for derived copies only (see {@link #delete}).
 *
 * <p>Sizes: an object of any size the store accepts can be created (S3 implementations switch to
 * a multipart upload above their part size, still create-once) and copied. {@link #listing} pages
 * lazily, so a prefix with millions of keys costs one page of memory.
 * Implementations throw {@link StorageException} for everything else; {@link StorageException#retryable()}
 * is the one predicate that says whether trying again can help.
 */
public interface ObjectStore {

    /** Creates {@code location} with {@code bytes}; fails if it exists. */
    StoredObject create(Location location, byte[] bytes, String contentType);

    /** Creates {@code location} from a local file; fails if it exists. */
    StoredObject create(Location location, Path file, String contentType);

    /** Creates {@code location} from a stream of known length; fails if it exists. */
    StoredObject create(Location location, InputStream content, long length, String contentType);

    /** Writes {@code location}, replacing whatever is there. */
    StoredObject replace(Location location, byte[] bytes, String contentType);

    /** Writes {@code location} from a local file, replacing whatever is there. */
    StoredObject replace(Location location, Path file, String contentType);

    /**
     * Replaces {@code location} only if its current ETag is {@code expectedEtag}.
     *
     * @throws PreconditionFailedException if the ETag differs
     * @throws ObjectNotFoundException if the object does not exist
     */
    StoredObject replaceIfMatch(Location location, byte[] bytes, String expectedEtag, String contentType);

    /** Opens the object for streaming; the caller closes the stream. */
    InputStream open(Location location);

    /**
     * Opens the object for streaming only if its ETag is {@code expectedEtag} ({@code If-Match}),
     * so the bytes read are exactly that version's; the caller closes the stream.
     *
     * @throws PreconditionFailedException if the object now has another ETag
     * @throws ObjectNotFoundException if the object does not exist
     */
    InputStream openIfMatch(Location location, String expectedEtag);

    /**
     * Copies {@code source} to {@code target} inside the store (S3 {@code UploadPartCopy}; a file
     * system link), create-once at the target like {@code create}.
     * With a non-null {@code sourceEtag} the copy is of that version of the source only, so a caller
     * that read (or hashed) that version knows the target holds the same bytes.
     *
     * @return the target's metadata (its size is the source's)
     * @throws ObjectAlreadyExistsException if {@code target} exists (it is left unchanged)
     * @throws PreconditionFailedException if the source's ETag is not {@code sourceEtag}
     * @throws ObjectNotFoundException if the source does not exist
     */
    StoredObject copy(Location source, Location target, String sourceEtag);

    /** Reads a small object whole (control documents, manifests). */
    byte[] read(Location location);

    /** The object's metadata, or empty if it does not exist. */
    Optional<StoredObject> head(Location location);

    /**
     * Every object under {@code prefix} in key order, fetched page by page as the stream is
     * consumed: memory holds one page, whatever the number of keys. Each page is a consistent
     * answer of the store; objects written or deleted while the stream is consumed may or may not
     * appear. A failure is a {@link StorageException}, thrown by this call (the first page may be
     * fetched at once) or by the stream's terminal operation (a later page). The stream holds no resources between pages: closing it is optional.
     */
    Stream<StoredObject> listing(String bucket, String prefix);

    /**
     * Every object under {@code prefix} in key order, all in memory: for prefixes known to hold few
     * keys (tests, small control prefixes). Code that walks a prefix that grows with the lake uses
     * {@link #listing}.
     */
    default List<StoredObject> list(String bucket, String prefix) {
        try (Stream<StoredObject> objects = listing(bucket, prefix)) {
            return objects.toList();
        }
    }

    /** Copies a local file down from the store (large objects). */
    void download(Location location, Path target);

    /**
     * Removes {@code location}; removing a key that does not exist succeeds (idempotent, like S3's
     * DeleteObject). The lake deletes only derived copies it can rebuild (the {@code current/}
     * prefixes); Bronze, run output and control documents are never deleted.
     */
    void delete(Location location);
}
