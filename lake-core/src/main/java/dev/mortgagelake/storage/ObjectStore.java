package dev.mortgagelake.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
 * {@code delete} exists for derived copies only (see {@link #delete}).
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

    /** Reads a small object whole (control documents, manifests). */
    byte[] read(Location location);

    /** The object's metadata, or empty if it does not exist. */
    Optional<StoredObject> head(Location location);

    /** Every object under {@code prefix} in key order (all pages). */
    List<StoredObject> list(String bucket, String prefix);

    /** Copies a local file down from the store (large objects). */
    void download(Location location, Path target);

    /**
     * Removes {@code location}; removing a key that does not exist succeeds (idempotent, like S3's
     * DeleteObject). The lake deletes only derived copies it can rebuild (the {@code current/}
     * prefixes); Bronze, run output and control documents are never deleted.
     */
    void delete(Location location);
}
