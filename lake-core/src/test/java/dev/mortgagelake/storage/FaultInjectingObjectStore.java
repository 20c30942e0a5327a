package dev.mortgagelake.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} decorator for fault-injection tests: a real wrapper around a real store
 * that, for chosen calls on chosen keys, fails before the call (the request never reached the
 * store), fails after it (the store did it, the response was lost), or runs an action first (e.g. a
 * competing writer), or fail now and let the request "land late" (it takes effect just before the
 * next call of the same kind on the same key, as a delayed S3 request would). Every rule fires a
 * fixed number of times. Thread-safe.
 */
public final class FaultInjectingObjectStore implements ObjectStore {

    /** The store operations a rule can target. */
    public enum Call { CREATE, REPLACE, REPLACE_IF_MATCH, OPEN, READ, HEAD, LIST, DOWNLOAD, DELETE, COPY }

    private final ObjectStore delegate;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<Call, AtomicInteger> counts = new EnumMap<>(Call.class);
    private final Map<String, Op<?>> landingLater = new ConcurrentHashMap<>();

    public FaultInjectingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
        for (Call call : Call.values()) {
            counts.put(call, new AtomicInteger());
        }
    }

    /** The next {@code times} matching calls fail without reaching the store. */
    public FaultInjectingObjectStore failBefore(Call call, Predicate<String> key, boolean retryable, int times) {
        rules.add(new Rule(call, key, times, Mode.FAIL_BEFORE, retryable, null));
        return this;
    }

    /** The next {@code times} matching calls reach the store, then fail as if the response was lost. */
    public FaultInjectingObjectStore failAfter(Call call, Predicate<String> key, boolean retryable, int times) {
        rules.add(new Rule(call, key, times, Mode.FAIL_AFTER, retryable, null));
        return this;
    }

    /**
     * The next matching call fails without effect now, but takes effect later: just before the next
     * call of the same kind on the same key (a request that timed out on the client and reached the
     * store afterwards).
     */
    public FaultInjectingObjectStore failAndLandLater(Call call, Predicate<String> key, boolean retryable) {
        rules.add(new Rule(call, key, 1, Mode.LAND_LATER, retryable, null));
        return this;
    }

    /** The next {@code times} matching calls first run {@code action} (which may use this store). */
    public FaultInjectingObjectStore beforeCall(Call call, Predicate<String> key, int times, Runnable action) {
        rules.add(new Rule(call, key, times, Mode.ACTION, false, action));
        return this;
    }

    /** How many times {@code call} was made (including failed ones). */
    public int calls(Call call) {
        return counts.get(call).get();
    }

    public ObjectStore delegate() {
        return delegate;
    }

    private enum Mode { FAIL_BEFORE, FAIL_AFTER, LAND_LATER, ACTION }

    private static final class Rule {
        final Call call;
        final Predicate<String> key;
        final AtomicInteger remaining;
        final Mode mode;
        final boolean retryable;
        final Runnable action;

        Rule(Call call, Predicate<String> key, int times, Mode mode, boolean retryable, Runnable action) {
            this.call = call;
            this.key = key;
            this.remaining = new AtomicInteger(times);
            this.mode = mode;
            this.retryable = retryable;
            this.action = action;
        }

        boolean claim(Call call, String key) {
            if (this.call != call || !this.key.test(key)) {
                return false;
            }
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }
    }

    private interface Op<T> {
        T run();
    }

    private <T> T intercept(Call call, String key, Op<T> op) {
        counts.get(call).incrementAndGet();
        Op<?> late = landingLater.remove(call + " " + key);
        if (late != null) {
            try {
                late.run();
            } catch (RuntimeException e) {
                // The late request lost to whatever happened meanwhile, as it would on S3.
            }
        }
        Rule fired = null;
        for (Rule rule : rules) {
            if (rule.claim(call, key)) {
                fired = rule;
                break;
            }
        }
        if (fired == null) {
            return op.run();
        }
        switch (fired.mode) {
            case ACTION -> {
                fired.action.run();
                return op.run();
            }
            case FAIL_BEFORE -> throw new StorageException("Injected failure before " + call + " " + key, fired.retryable);
            case LAND_LATER -> {
                landingLater.put(call + " " + key, op);
                throw new StorageException("Injected timeout of " + call + " " + key + " (it lands later)", fired.retryable);
            }
            default -> {
                op.run();
                throw new StorageException("Injected failure after " + call + " " + key + " (the store did it)", fired.retryable);
            }
        }
    }

    @Override
    public StoredObject create(Location location, byte[] bytes, String contentType) {
        return intercept(Call.CREATE, location.key(), () -> delegate.create(location, bytes, contentType));
    }

    @Override
    public StoredObject create(Location location, Path file, String contentType) {
        return intercept(Call.CREATE, location.key(), () -> delegate.create(location, file, contentType));
    }

    @Override
    public StoredObject create(Location location, InputStream content, long length, String contentType) {
        return intercept(Call.CREATE, location.key(), () -> delegate.create(location, content, length, contentType));
    }

    @Override
    public StoredObject replace(Location location, byte[] bytes, String contentType) {
        return intercept(Call.REPLACE, location.key(), () -> delegate.replace(location, bytes, contentType));
    }

    @Override
    public StoredObject replace(Location location, Path file, String contentType) {
        return intercept(Call.REPLACE, location.key(), () -> delegate.replace(location, file, contentType));
    }

    @Override
    public StoredObject replaceIfMatch(Location location, byte[] bytes, String expectedEtag, String contentType) {
        return intercept(Call.REPLACE_IF_MATCH, location.key(), () -> delegate.replaceIfMatch(location, bytes, expectedEtag, contentType));
    }

    @Override
    public InputStream open(Location location) {
        return intercept(Call.OPEN, location.key(), () -> delegate.open(location));
    }

    @Override
    public byte[] read(Location location) {
        return intercept(Call.READ, location.key(), () -> delegate.read(location));
    }

    @Override
    public Optional<StoredObject> head(Location location) {
        return intercept(Call.HEAD, location.key(), () -> delegate.head(location));
    }

    @Override
    public InputStream openIfMatch(Location location, String expectedEtag) {
        return intercept(Call.OPEN, location.key(), () -> delegate.openIfMatch(location, expectedEtag));
    }

    /** Targeted by the target's key, like the create it stands for. */
    @Override
    public StoredObject copy(Location source, Location target, String sourceEtag) {
        return intercept(Call.COPY, target.key(), () -> delegate.copy(source, target, sourceEtag));
    }

    @Override
    public Stream<StoredObject> listing(String bucket, String prefix) {
        return intercept(Call.LIST, prefix, () -> delegate.listing(bucket, prefix));
    }

    @Override
    public void download(Location location, Path target) {
        intercept(Call.DOWNLOAD, location.key(), () -> {
            delegate.download(location, target);
            return null;
        });
    }

    @Override
    public void delete(Location location) {
        intercept(Call.DELETE, location.key(), () -> {
            delegate.delete(location);
            return null;
        });
    }
}
