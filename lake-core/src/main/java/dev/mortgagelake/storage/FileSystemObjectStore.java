package dev.mortgagelake.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link ObjectStore} over a local directory: {@code root/<bucket>/<key>}. Used by the offline
 * {@code ./lake validate} command (it writes exactly the lake's layout) and by fast domain tests.
 *
 * <p>Create-once is atomic: content goes to a temporary file which is then hard-linked to the key
 * ({@code link(2)} fails if the name exists), so of N concurrent creators exactly one wins.
 * Temporary files start with {@code .tmp-} and are removed in every outcome. The ETag is derived
 * from size and modification time (cheap, changes on every replace).
 */
public final class FileSystemObjectStore implements ObjectStore {

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
        Path bucket = root.resolve(location.bucket()).normalize();
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
            return Files.newInputStream(pathOf(location));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(location);
        } catch (IOException e) {
            throw new StorageException("Cannot read " + location + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public byte[] read(Location location) {
        try {
            return Files.readAllBytes(pathOf(location));
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
     * <p>Walks only the directory that can hold keys with {@code prefix}. Files that vanish while
     * the directory is walked (temporary files of concurrent writers) are skipped, so listing is
     * safe while other threads create objects.
     */
    @Override
    public List<StoredObject> list(String bucket, String prefix) {
        Path bucketRoot = root.resolve(bucket).normalize();
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
                        return FileVisitResult.CONTINUE;
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
            Files.copy(pathOf(location), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(location);
        } catch (IOException e) {
            throw new StorageException("Cannot download " + location + ": " + e.getMessage(), false, e);
        }
    }

    private StoredObject describe(Location location, BasicFileAttributes attributes) {
        return new StoredObject(location, attributes.size(), etagOf(attributes), attributes.lastModifiedTime().toInstant());
    }

    private static String etagOf(BasicFileAttributes attributes) {
        return Long.toHexString(attributes.size()) + "-" + Long.toHexString(attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS))
                + "-" + Integer.toHexString(String.valueOf(attributes.fileKey()).hashCode());
    }

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    private StoredObject createFrom(Location location, Writer writer) {
        Path target = pathOf(location);
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = target.resolveSibling(TMP_PREFIX + UUID.randomUUID());
            writer.write(tmp);
            Files.createLink(target, tmp);
            return head(location).orElseThrow(() -> new StorageException("Created " + location + " but cannot see it", true));
        } catch (FileAlreadyExistsException e) {
            throw new ObjectAlreadyExistsException(location);
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
            Files.createDirectories(target.getParent());
            tmp = target.resolveSibling(TMP_PREFIX + UUID.randomUUID());
            writer.write(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return head(location).orElseThrow(() -> new StorageException("Wrote " + location + " but cannot see it", true));
        } catch (IOException e) {
            throw new StorageException("Cannot write " + location + ": " + e.getMessage(), false, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot remove temporary file " + tmp, e);
            }
        }
    }
}
