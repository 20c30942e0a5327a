package dev.mortgagelake.storage;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
 * it) is reported missing by every read. {@link #listing} walks only the directory the prefix points
 * into, lazily and in key order, and tolerates files that concurrent writers remove while it walks.
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

    /**
     * {@inheritDoc}
     *
     * <p>The ETag is checked before and after the file is opened: a replaced version's ETag never
     * comes back for the same key, so the same ETag at both instants means the opened file is
     * that version.
     */
    @Override
    public InputStream openIfMatch(Location location, String expectedEtag) {
        requireEtag(location, expectedEtag);
        InputStream in = open(location);
        try {
            requireEtag(location, expectedEtag);
            return in;
        } catch (RuntimeException e) {
            try {
                in.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>No byte is copied: the source's file is hard-linked to a temporary name (which pins the
     * version, since a replace renames a new file over the key and never changes an existing one),
     * its ETag is checked there, and the temporary name is linked to the target create-once, as
     * {@code create} does. The target shares the source's file, so it has the source's ETag.
     */
    @Override
    public StoredObject copy(Location source, Location target, String sourceEtag) {
        Path sourcePath = existingFile(source);
        return createFrom(target, tmp -> {
            try {
                Files.createLink(tmp, sourcePath);
            } catch (NoSuchFileException e) {
                if (Files.notExists(sourcePath)) {
                    throw new ObjectNotFoundException(source, e);
                }
                throw e;
            }
            BasicFileAttributes pinned = Files.readAttributes(tmp, BasicFileAttributes.class);
            if (sourceEtag != null && !etagOf(pinned).equals(sourceEtag)) {
                throw new PreconditionFailedException(source, sourceEtag);
            }
        });
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

    /**
     * {@inheritDoc}
     *
     * <p>Walks the directory tree lazily in key order: each directory is read (and its entries
     * sorted) only when the walk reaches it, so memory holds the entries of the directories on the
     * current path, not the whole listing. A directory sorts as its name followed by {@code /}, which
     * is where its keys fall among its siblings' in S3's key order.
     */
    @Override
    public Stream<StoredObject> listing(String bucket, String prefix) {
        Path bucketRoot = bucketRoot(bucket);
        // Walk only the deepest directory the prefix names: "a/b/c" needs a/b, "a/b/" needs a/b.
        int slash = prefix.lastIndexOf('/');
        Path start = (slash < 0 ? bucketRoot : bucketRoot.resolve(prefix.substring(0, slash))).normalize();
        if (!start.startsWith(bucketRoot)) {
            throw new StorageException("Prefix escapes its bucket: " + bucket + "/" + prefix, false);
        }
        if (!Files.isDirectory(start)) {
            return Stream.empty();
        }
        KeyOrderWalk walk = new KeyOrderWalk(bucket, bucketRoot, prefix, start);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(walk, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * A depth-first walk that yields the regular files under a directory in key order. Files and
     * directories that concurrent writers remove while it walks (temporary files) are skipped.
     */
    private final class KeyOrderWalk implements Iterator<StoredObject> {
        private final String bucket;
        private final Path bucketRoot;
        private final String prefix;
        private final Deque<Iterator<Entry>> stack = new ArrayDeque<>();
        private StoredObject next;

        KeyOrderWalk(String bucket, Path bucketRoot, String prefix, Path start) {
            this.bucket = bucket;
            this.bucketRoot = bucketRoot;
            this.prefix = prefix;
            stack.push(entriesOf(start).iterator());
        }

        private record Entry(String key, BasicFileAttributes attributes) {
            /** The key with a trailing slash for a directory: how it sorts among its siblings' keys. */
            String sortKey() {
                return attributes.isDirectory() ? key + "/" : key;
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null && !stack.isEmpty()) {
                Iterator<Entry> level = stack.peek();
                if (!level.hasNext()) {
                    stack.pop();
                    continue;
                }
                Entry entry = level.next();
                if (entry.attributes().isDirectory()) {
                    String directoryKey = entry.key() + "/";
                    if (directoryKey.startsWith(prefix) || prefix.startsWith(directoryKey)) {
                        stack.push(entriesOf(bucketRoot.resolve(entry.key())).iterator());
                    }
                } else if (entry.attributes().isRegularFile() && entry.key().startsWith(prefix)) {
                    next = describe(new Location(bucket, entry.key()), entry.attributes());
                }
            }
            return next != null;
        }

        @Override
        public StoredObject next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            StoredObject object = next;
            next = null;
            return object;
        }

        private List<Entry> entriesOf(Path directory) {
            List<Entry> entries = new ArrayList<>();
            try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
                for (Path child : children) {
                    if (child.getFileName().toString().startsWith(TMP_PREFIX)) {
                        continue;
                    }
                    try {
                        BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        entries.add(new Entry(bucketRoot.relativize(child).toString().replace('\\', '/'), attributes));
                    } catch (NoSuchFileException removed) {
                        // removed by a concurrent writer since the directory was read
                    }
                }
            } catch (NoSuchFileException | NotDirectoryException removed) {
                return List.of();
            } catch (IOException e) {
                throw new StorageException("Cannot list " + bucket + "/" + prefix + ": " + e.getMessage(), false, e);
            }
            entries.sort(Comparator.comparing(Entry::sortKey));
            return entries;
        }
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

    /** Throws unless {@code location} exists with {@code expectedEtag}. */
    private void requireEtag(Location location, String expectedEtag) {
        StoredObject current = head(location).orElseThrow(() -> new ObjectNotFoundException(location));
        if (!current.etag().equals(expectedEtag)) {
            throw new PreconditionFailedException(location, expectedEtag);
        }
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
