package dev.mortgagelake.validation;

import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Delegates to a store, but the {@code failAt}-th write (create or replace, 1-based) fails as a crash would. */
final class FailingObjectStore implements ObjectStore {

    private final ObjectStore delegate;
    private final int failAt;
    private int writes;
    /** Keys in write order; writes of one commit phase run concurrently, so order only holds between phases. */
    final List<String> writtenKeys = Collections.synchronizedList(new ArrayList<>());

    FailingObjectStore(ObjectStore delegate, int failAt) {
        this.delegate = delegate;
        this.failAt = failAt;
    }

    private synchronized void write(Location location) {
        writes++;
        if (writes == failAt) {
            throw new StorageException("Injected failure at write " + writes + " (" + location + ")", true);
        }
        writtenKeys.add(location.key());
    }

    @Override
    public StoredObject create(Location location, byte[] bytes, String contentType) {
        write(location);
        return delegate.create(location, bytes, contentType);
    }

    @Override
    public StoredObject create(Location location, Path file, String contentType) {
        write(location);
        return delegate.create(location, file, contentType);
    }

    @Override
    public StoredObject create(Location location, InputStream content, long length, String contentType) {
        write(location);
        return delegate.create(location, content, length, contentType);
    }

    @Override
    public StoredObject replace(Location location, byte[] bytes, String contentType) {
        write(location);
        return delegate.replace(location, bytes, contentType);
    }

    @Override
    public StoredObject replace(Location location, Path file, String contentType) {
        write(location);
        return delegate.replace(location, file, contentType);
    }

    @Override
    public StoredObject replaceIfMatch(Location location, byte[] bytes, String expectedEtag, String contentType) {
        write(location);
        return delegate.replaceIfMatch(location, bytes, expectedEtag, contentType);
    }

    @Override
    public InputStream open(Location location) {
        return delegate.open(location);
    }

    @Override
    public byte[] read(Location location) {
        return delegate.read(location);
    }

    @Override
    public Optional<StoredObject> head(Location location) {
        return delegate.head(location);
    }

    @Override
    public InputStream openIfMatch(Location location, String expectedEtag) {
        return delegate.openIfMatch(location, expectedEtag);
    }

    @Override
    public StoredObject copy(Location source, Location target, String sourceEtag) {
        write(target);
        return delegate.copy(source, target, sourceEtag);
    }

    @Override
    public Stream<StoredObject> listing(String bucket, String prefix) {
        return delegate.listing(bucket, prefix);
    }

    @Override
    public void download(Location location, Path target) {
        delegate.download(location, target);
    }

    @Override
    public void delete(Location location) {
        write(location);
        delegate.delete(location);
    }
}
