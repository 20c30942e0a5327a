package dev.mortgagelake.publish.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The only writer of a table's version log: commits {@code next = change.apply(current)} as version
 * {@code current.version + 1} with a create-once write ({@code If-None-Match: *}).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Before</b> a commit: versions {@code 1..n} exist, each immutable, each the whole table
 *       state; {@code n} is read from the log ({@link TableVersionLog#latestVersion()}).</li>
 *   <li><b>The atomic step</b> is one create of {@code <root>_versions/v(n+1).json}. Of any number of
 *       writers that computed {@code n+1}, the store lets exactly one create it; the others get
 *       {@link ObjectAlreadyExistsException}. A document is written whole or not at all.</li>
 *   <li><b>After</b> a successful create: versions {@code 1..n+1} exist, {@code v(n+1).parent_version
 *       == n}, and {@code v(n+1)} is exactly {@code change.apply(v(n))}: a change is never applied to
 *       a state other than the one its version names as parent, so no concurrent change is lost.</li>
 *   <li><b>Lost race</b>: another writer owns {@code n+1}. The change is re-applied to a freshly read
 *       latest version (it may now be "no change") and tried again, with jittered backoff, at most
 *       {@link CommitPolicy#maxAttempts()} times, then {@link CommitFailedException}.</li>
 *   <li><b>Unknown outcome</b>: a create that fails with anything but "already exists" may still
 *       have taken effect. The version key is read back: our {@code commit_id} there means committed;
 *       another commit id means a lost race; absent means the create did not happen (yet) and the
 *       same document is created again (a late arrival of the first request then equals the retry).
 *       If reading back fails {@link CommitPolicy#statusChecks()} times, or attempts run out while a
 *       create of ours may still land, {@link CommitStateUnknownException} is thrown. Nothing is ever
 *       deleted.</li>
 *   <li><b>Contiguity</b>: {@code n+1} is only created after {@code n} was observed, so the log has
 *       no gaps and "the highest key" is the current version.</li>
 * </ul>
 *
 * <h2>What runs after the atomic step</h2>
 * Nothing in this class: the commit is complete when the create succeeds. Moving
 * {@code _LATEST.json} ({@link LatestPointerWriter}) and emitting events are separate, best-effort
 * steps that may fail without undoing or invalidating the commit; they are repaired by running them
 * again.
 *
 * <h2>Why no compare-and-swap is needed</h2>
 * Correctness rests on create-once alone, which is atomic on S3 and on the local S3 server. The
 * pointer is derived from the log (it follows the highest version), so it never has to be updated
 * with {@code If-Match}, which the local S3 server does not make atomic under concurrency.
 *
 * <p>Thread-safe; instances are cheap and may be shared.
 */
public final class TableCommitter {

    private static final Logger LOG = Logger.getLogger(TableCommitter.class);
    private static final String JSON = "application/json";

    private final ObjectStore store;
    private final TableVersionLog log;
    private final CommitPolicy policy;
    private final Clock clock;

    public TableCommitter(ObjectStore store, TableVersionLog log, CommitPolicy policy, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.log = Objects.requireNonNull(log, "log");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public TableVersionLog log() {
        return log;
    }

    public TableLocation table() {
        return log.table();
    }

    /**
     * Commits {@code change} on top of the latest version.
     *
     * @return the new version, or the current one (with {@code committed == false}) if the change
     *         was already reflected
     * @throws CommitFailedException       the table does not contain this attempt's version (safe to retry)
     * @throws CommitStateUnknownException it cannot be told whether it does (retry; never clean up)
     * @throws StorageException            reading the table failed before the first attempt (nothing written)
     */
    public CommitResult commit(TableChange change) {
        Objects.requireNonNull(change, "change");
        TableSnapshot base = log.current();
        Attempt pending = null;
        boolean inDoubt = false;
        RuntimeException lastFailure = null;

        for (int attempt = 1; ; attempt++) {
            if (pending == null) {
                Optional<ProposedSnapshot> proposed = change.apply(base);
                if (proposed.isEmpty()) {
                    return new CommitResult(base, false, attempt - 1);
                }
                TableSnapshot next = TableSnapshot.next(base, proposed.get(), UUID.randomUUID(), clock.instant());
                pending = new Attempt(next, table().version(next.version()), TableVersionLog.encode(next));
            }

            Resolution resolution;
            try {
                store.create(pending.location, pending.document, JSON);
                resolution = Resolution.OURS;
            } catch (ObjectAlreadyExistsException e) {
                lastFailure = e;
                resolution = inDoubt ? resolve(pending, e) : Resolution.OTHER;
            } catch (RuntimeException e) {
                lastFailure = e;
                resolution = resolve(pending, e);
                if (resolution == Resolution.ABSENT) {
                    boolean retryable = e instanceof StorageException se && se.retryable();
                    if (!retryable) {
                        if (inDoubt) {
                            throw unknown(pending, "an earlier create of it may still land; the last one failed permanently", e);
                        }
                        throw new CommitFailedException("Cannot publish to " + table() + ": creating version "
                                + pending.snapshot.version() + " failed permanently: " + e.getMessage(), e);
                    }
                    inDoubt = true;
                }
            }

            switch (resolution) {
                case OURS -> {
                    log.observed(pending.snapshot.version());
                    if (attempt > 1) {
                        LOG.debugf("Committed %s version %d after %d attempts", table(), pending.snapshot.version(), attempt);
                    }
                    return new CommitResult(pending.snapshot, true, attempt);
                }
                case ABSENT -> {
                    if (attempt >= policy.maxAttempts()) {
                        throw unknown(pending, "creating it failed " + attempt + " times and an earlier create may still land",
                                lastFailure);
                    }
                    sleep(policy.backoff(attempt), pending);
                }
                case OTHER -> {
                    log.observed(pending.snapshot.version());
                    LOG.debugf("Lost the race for %s version %d (attempt %d)", table(), pending.snapshot.version(), attempt);
                    if (attempt >= policy.maxAttempts()) {
                        throw new CommitFailedException("Cannot publish to " + table() + ": version " + pending.snapshot.version()
                                + " was committed by another writer; gave up after " + attempt + " attempts", lastFailure);
                    }
                    long lost = pending.snapshot.version();
                    pending = null;
                    inDoubt = false;
                    sleep(policy.backoff(attempt), null);
                    try {
                        base = log.current();
                    } catch (StorageException e) {
                        throw new CommitFailedException("Cannot publish to " + table() + ": lost the race for version " + lost
                                + " and cannot reload the table: " + e.getMessage(), e);
                    }
                }
            }
        }
    }

    private enum Resolution {
        /** The version document is ours: committed. */
        OURS,
        /** Another commit owns the version: lost race. */
        OTHER,
        /** The version does not exist. */
        ABSENT
    }

    /** One document for one version key: retried as is while its outcome is open. */
    private record Attempt(TableSnapshot snapshot, Location location, byte[] document) {
    }

    /** Reads the version key back to learn whose it is; throws if that cannot be determined. */
    private Resolution resolve(Attempt pending, RuntimeException writeFailure) {
        RuntimeException lastRead = null;
        for (int check = 1; check <= policy.statusChecks(); check++) {
            try {
                byte[] stored = store.read(pending.location);
                if (Arrays.equals(stored, pending.document)) {
                    return Resolution.OURS;
                }
                return pending.snapshot.commitId().equals(commitIdOf(stored)) ? Resolution.OURS : Resolution.OTHER;
            } catch (ObjectNotFoundException e) {
                return Resolution.ABSENT;
            } catch (RuntimeException e) {
                lastRead = e;
                if (check < policy.statusChecks()) {
                    sleep(policy.backoff(check), pending);
                }
            }
        }
        CommitStateUnknownException unknown = unknown(pending, "the create failed (" + writeFailure.getMessage()
                + ") and reading the version back failed " + policy.statusChecks() + " times (" + lastRead.getMessage() + ")", writeFailure);
        unknown.addSuppressed(lastRead);
        throw unknown;
    }

    private static String commitIdOf(byte[] document) {
        try {
            JsonNode tree = EventCodec.mapper().readTree(document);
            return tree == null ? null : tree.path("commit_id").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Pauses; {@code inDoubt} is the attempt whose outcome is open, if any (decides the exception on interrupt). */
    private void sleep(Duration pause, Attempt inDoubt) {
        try {
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (inDoubt != null) {
                throw unknown(inDoubt, "interrupted while its outcome was open", e);
            }
            throw new CommitFailedException("Cannot publish to " + table() + ": interrupted between attempts", e);
        }
    }

    private CommitStateUnknownException unknown(Attempt pending, String why, Throwable cause) {
        return new CommitStateUnknownException("Cannot publish to " + table() + ": the outcome of creating version "
                + pending.snapshot.version() + " (commit " + pending.snapshot.commitId() + ") is unknown: " + why
                + "; nothing was deleted, retry the same change", cause);
    }
}
