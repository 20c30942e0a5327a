package dev.mortgagelake.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An {@link ObjectStore} over a local directory: {@code root/<bucket>/<key>}. Used by the offline
 * {@code ./lake validate} command (it writes exactly the lake's layout) and by fast domain tests.
 *
 * <p>Create-once is atomic: content goes to a temporary file which is then hard-linked to the key
 * ({@code link(2)} fails if the name exists), so of N concurrent creators exactly one wins.
 * Replace writes a temporary file and renames it over the key atomically, so readers see the old
 * or the new content, never a mix. Temporary files start with {@code .tmp-}, are removed in every
 * outcome and never listed.
 *
 * <p>The ETag is derived from size, modification time and file identity (cheap: no hashing).
 * Every replace gives the new file a modification time strictly later than the one it replaces,
 * so an ETag never comes back for the same key even when the file system reuses the inode within
 * one clock tick. {@code replaceIfMatch} is atomic only among callers of the same instance.
 *
 * <p>Directories are not objects: a key that names a directory (because longer keys exist below
 * it) is reported missing by every read. {@link #list} walks only the directory the prefix points
 * into and tolerates files that concurrent writers remove while it walks.
 */
public final class FileSystemObjectStore implements ObjectStore {

    private static final Logger LOG = Logger.getLogger(FileSystemObjectStore.class);
    private static final String TMP_PREFIX = ".tmp-";

    private final Path root;

    public FileSystemObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The local file that holds {@code location}. */
    public Path pathOf(Location location) {
        Path bucket = bucketRoot(location.bucket());
        Path path = bucket.resolve(location.key()).normalize();
        if (!path.startsWith(bucket)) {
            throw new StorageException("Key escapes its bucket: " + location, false);
        }
        return path;
    }

    @Override
    public StoredObject create(Location location, byte[] bytes, String contentType) {
        return createFrom(location, tmp -> Files.write(tmp, bytes));
    }

    @Override
    public StoredObject create(Location location, Path file, String contentType) {
        return createFrom(location, tmp -> Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public StoredObject create(Location location, InputStream content, long length, String contentType) {
        return createFrom(location, tmp -> {
            long copied = Files.copy(content, tmp, StandardCopyOption.REPLACE_EXISTING);
            if (copied != length) {
                throw new IOException("Expected " + length + " bytes for " + location + " but the stream had " + copied);
            }
        });
    }

    @Override
    public StoredObject replace(Location location, byte[] bytes, String contentType) {
        return replaceFrom(location, tmp -> Files.write(tmp, bytes));
    }

    @Override
    public StoredObject replace(Location location, Path file, String contentType) {
        return replaceFrom(location, tmp -> Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public synchronized StoredObject replaceIfMatch(Location location, byte[] bytes, String expectedEtag, String contentType) {
        StoredObject current = head(location).orElseThrow(() -> new ObjectNotFoundException(location));
        if (!current.etag().equals(expectedEtag)) {
            throw new PreconditionFailedException(location, expectedEtag);
        }
        return replace(location, bytes, contentType);
    }

    @Override
    public InputStream open(Location location) {
        try {
            return Files.newInputStream(existingFile(location));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(location);
        } catch (IOException e) {
            throw new StorageException("Cannot read " + location + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public byte[] read(Location location) {
        try {
            return Files.readAllBytes(existingFile(location));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(location);
        } catch (IOException e) {
            throw new StorageException("Cannot read " + location + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public Optional<StoredObject> head(Location location) {
        Path path = pathOf(location);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(describe(location, attributes));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("Cannot stat " + location + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public List<StoredObject> list(String bucket, String prefix) {
        Path bucketRoot = bucketRoot(bucket);
        // Walk only the deepest directory the prefix names: "a/b/c" needs a/b, "a/b/" needs a/b.
        int slash = prefix.lastIndexOf('/');
        Path start = (slash < 0 ? bucketRoot : bucketRoot.resolve(prefix.substring(0, slash))).normalize();
        if (!start.startsWith(bucketRoot)) {
            throw new StorageException("Prefix escapes its bucket: " + bucket + "/" + prefix, false);
        }
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<StoredObject> objects = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && !file.getFileName().toString().startsWith(TMP_PREFIX)) {
                        String key = bucketRoot.relativize(file).toString().replace('\\', '/');
                        if (key.startsWith(prefix)) {
                            objects.add(describe(new Location(bucket, key), attributes));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // removed by a concurrent writer (a temporary file)
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new StorageException("Cannot list " + bucket + "/" + prefix + ": " + e.getMessage(), false, e);
        }
        objects.sort(Comparator.comparing(o -> o.location().key()));
        return objects;
    }

    @Override
    public void download(Location location, Path target) {
        try {
            Files.copy(existingFile(location), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(location);
        } catch (IOException e) {
            throw new StorageException("Cannot download " + location + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public void delete(Location location) {
        Path path = pathOf(location);
        try {
            if (Files.isDirectory(path)) {
                return; // a "directory" is not an object: nothing to delete
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new StorageException("Cannot delete " + location + ": " + e.getMessage(), false, e);
        }
    }

    private Path bucketRoot(String bucket) {
        Path bucketRoot = root.resolve(bucket).normalize();
        if (!root.equals(bucketRoot.getParent())) {
            throw new StorageException("Not a bucket name: '" + bucket + "'", false);
        }
        return bucketRoot;
    }

    /** The file of an existing object; a missing key or a directory is {@link ObjectNotFoundException}. */
    private Path existingFile(Location location) {
        Path path = pathOf(location);
        if (!Files.isRegularFile(path)) {
            throw new ObjectNotFoundException(location);
        }
        return path;
    }

    private StoredObject describe(Location location, BasicFileAttributes attributes) {
        return new StoredObject(location, attributes.size(), etagOf(attributes), attributes.lastModifiedTime().toInstant());
    }

    private static String etagOf(BasicFileAttributes attributes) {
        return Long.toHexString(attributes.size()) + "-" + Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                + "-" + Integer.toHexString(String.valueOf(attributes.fileKey()).hashCode());
    }

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    private StoredObject createFrom(Location location, Writer writer) {
        Path target = pathOf(location);
        Path tmp = null;
        try {
            createParentDirectories(location, target);
            tmp = target.resolveSibling(TMP_PREFIX + UUID.randomUUID());
            writer.write(tmp);
            try {
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException e) {
                if (Files.isDirectory(target)) {
                    throw new StorageException("Cannot create " + location + ": longer keys exist below it, and a"
                            + " file-system store cannot hold an object and a \"directory\" of the same name", false, e);
                }
                throw new ObjectAlreadyExistsException(location, e);
            }
            return head(location).orElseThrow(() -> new StorageException("Created " + location + " but cannot see it", true));
        } catch (IOException e) {
            throw new StorageException("Cannot create " + location + ": " + e.getMessage(), false, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private StoredObject replaceFrom(Location location, Writer writer) {
        Path target = pathOf(location);
        Path tmp = null;
        try {
            createParentDirectories(location, target);
            tmp = target.resolveSibling(TMP_PREFIX + UUID.randomUUID());
            writer.write(tmp);
            advancePastCurrentVersion(tmp, target);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return head(location).orElseThrow(() -> new StorageException("Wrote " + location + " but cannot see it", true));
        } catch (IOException e) {
            throw new StorageException("Cannot write " + location + ": " + e.getMessage(), false, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Creates the key's parent directories; a parent that is already an object is a permanent failure. */
    private static void createParentDirectories(Location location, Path target) throws IOException {
        try {
            Files.createDirectories(target.getParent());
        } catch (FileAlreadyExistsException e) {
            throw new StorageException("Cannot write " + location + ": a shorter key on its path is an object, and a"
                    + " file-system store cannot hold an object and a \"directory\" of the same name", false, e);
        }
    }

    /**
     * Gives {@code tmp} a modification time strictly after {@code target}'s, so the ETag of the new
     * version differs from every earlier one even if both fall in one clock tick and the file
     * system hands the old inode to the new file. Steps up from 1 µs until the file system's
     * timestamp resolution shows the difference.
     */
    private static void advancePastCurrentVersion(Path tmp, Path target) throws IOException {
        FileTime current;
        try {
            current = Files.getLastModifiedTime(target);
        } catch (NoSuchFileException e) {
            return;
        }
        long currentNanos = current.to(TimeUnit.NANOSECONDS);
        FileTime written = Files.getLastModifiedTime(tmp);
        for (long step = 1_000; written.compareTo(current) <= 0 && step <= 10_000_000_000L; step *= 10) {
            Files.setLastModifiedTime(tmp, FileTime.from(currentNanos + step, TimeUnit.NANOSECONDS));
            written = Files.getLastModifiedTime(tmp);
        }
    }

    /** Removes a temporary file without masking the outcome of the write it belonged to. */
    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                LOG.warnf(e, "Cannot remove temporary file %s", tmp);
            }
        }
    }
}
