package dev.mortgagelake.retry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quarantine ledger, kept in S3 under {@code quarantine/_ledger/...} (no other database): one
 * {@link LedgerEntry} per batch, created once when retry-service takes ownership of it, and an
 * append-only sequence of {@link LedgerTransition}s per batch.
 *
 * <p>Invariants, all enforced with create-once writes (the only atomic primitive of the store):
 * <ul>
 *   <li>A batch has at most one opening entry; recording the same {@code run-validated} again returns
 *       the existing entry unchanged, so concurrent deliveries cannot fork it.</li>
 *   <li>Step n of a batch is written at most once: of two writers that read step n-1, one appends
 *       step n and the other gets {@link LedgerConflictException} and must re-read.</li>
 *   <li>Nothing here deletes or rewrites: the ledger is the history of every quarantined row.</li>
 * </ul>
 * Thread-safe.
 */
public final class QuarantineLedger {

    /** Ledger kind of quarantine batches and file rejections (key segment). */
    public static final String BATCHES = "batches";
    /** Ledger kind of condemned batches (key segment). */
    public static final String CONDEMNED = "condemned";

    private final ObjectStore store;
    private final LakeLayout layout;
    private final BackoffSchedule backoff;
    private final ObjectMapper json = EventCodec.mapper();
    /** Terminal batches never change again: read once, then served from memory. */
    private final Map<Location, LedgerBatch> terminal = new ConcurrentHashMap<>();

    public QuarantineLedger(ObjectStore store, LakeLayout layout, BackoffSchedule backoff) {
        this.store = store;
        this.layout = layout;
        this.backoff = backoff;
    }

    public BackoffSchedule backoff() {
        return backoff;
    }

    /** What recording a validated run did: its entries, and whether this call created them. */
    public record Recorded(Optional<LedgerEntry> batch, boolean batchCreated, Optional<LedgerEntry> condemned,
                           boolean condemnedCreated) {
    }

    /**
     * Takes ownership of what a validated run quarantined: a ROWS entry pending its next attempt, or
     * a FILE entry awaiting review. Returns empty when the run quarantined nothing. Also records the
     * rows it condemned (a {@code CONDEMNED_ROWS} entry in state {@code CONDEMNED}), so every row of a
     * validated run is in the ledger or in Silver.
     */
    public Optional<LedgerEntry> record(RunValidated run) {
        return recordRun(run).batch();
    }

    /** {@link #record}, telling which entries this call created (for counting each batch once). */
    public Recorded recordRun(RunValidated run) {
        Optional<LedgerEntry> condemned = entryForCondemned(run);
        boolean condemnedCreated = false;
        if (condemned.isPresent()) {
            Location location = layout.ledgerCondemned(RunId.of(run.runId()));
            condemnedCreated = createOnce(location, condemned.get());
            condemned = Optional.of(condemnedCreated ? condemned.get() : read(location, LedgerEntry.class));
        }
        Optional<LedgerEntry> batch = entryFor(run);
        boolean batchCreated = false;
        if (batch.isPresent()) {
            Location location = layout.ledgerBatch(RunId.of(run.runId()));
            batchCreated = createOnce(location, batch.get());
            batch = Optional.of(batchCreated ? batch.get() : read(location, LedgerEntry.class));
        }
        return new Recorded(batch, batchCreated, condemned, condemnedCreated);
    }

    /** The condemned-rows entry of a run, if the ledger has it. */
    public Optional<LedgerEntry> findCondemned(String runId) {
        Location location = layout.ledgerCondemned(RunId.of(runId));
        return store.head(location).map(o -> read(location, LedgerEntry.class));
    }

    /** The opening entry of a quarantine batch or file rejection, if the ledger has it. */
    public Optional<LedgerEntry> find(String batchRunId) {
        Location location = layout.ledgerBatch(RunId.of(batchRunId));
        return store.head(location).map(o -> read(location, LedgerEntry.class));
    }

    /**
     * A batch as it is now.
     *
     * @param ledgerKind {@link #BATCHES} or {@link #CONDEMNED}
     */
    public Optional<LedgerBatch> batch(String ledgerKind, String batchRunId) {
        Location location = entryLocation(ledgerKind, RunId.of(batchRunId));
        LedgerBatch cached = terminal.get(location);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (store.head(location).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(load(location, ledgerKind, RunId.of(batchRunId)));
    }

    /** The batch a {@code retry-due} or retry run refers to ({@link RetryDue#BATCH_QUARANTINE} or {@code CONDEMNED}). */
    public Optional<LedgerBatch> batchOf(String batchKind, String batchRunId) {
        return batch(RetryDue.BATCH_CONDEMNED.equals(batchKind) ? CONDEMNED : BATCHES, batchRunId);
    }

    /** Every batch of both kinds as it is now, oldest first. One listing per kind, then a read per open batch. */
    public List<LedgerBatch> batches() {
        List<LedgerBatch> batches = new ArrayList<>();
        for (String kind : List.of(BATCHES, CONDEMNED)) {
            for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().quarantine(), layout.ledgerPrefix() + kind + "/")::iterator) {
                LedgerBatch cached = terminal.get(object.location());
                batches.add(cached != null ? cached : load(object.location(), kind, runIdOf(object.location())));
            }
        }
        batches.sort(Comparator.comparing(LedgerBatch::batchRunId));
        return batches;
    }

    /**
     * Appends {@code step} to {@code batch} as its next step, if {@link LedgerState} allows the batch's
     * state to become the step's.
     *
     * @return the batch with the step
     * @throws IllegalLedgerTransitionException if the step is not a legal transition from the batch's state
     * @throws LedgerConflictException if another writer appended a step since {@code batch} was read
     */
    public LedgerBatch append(LedgerBatch batch, LedgerTransition step) {
        batch.state().requireTransitionTo(step.state(), batch.batchRunId());
        int sequence = batch.nextSequence();
        LedgerTransition positioned = step.at(sequence);
        RunId runId = RunId.of(batch.batchRunId());
        Location location = layout.ledgerTransition(batch.entry().ledgerKind(), runId, sequence);
        if (!createOnce(location, positioned)) {
            throw new LedgerConflictException("Batch " + batch.batchRunId() + " changed while this step was decided (step "
                    + sequence + " exists); read it again");
        }
        List<LedgerTransition> steps = new ArrayList<>(batch.transitions());
        steps.add(positioned);
        LedgerBatch updated = new LedgerBatch(batch.entry(), steps);
        if (updated.terminal()) {
            terminal.put(entryLocation(batch.entry().ledgerKind(), runId), updated);
        }
        return updated;
    }

    private LedgerBatch load(Location entryLocation, String ledgerKind, RunId runId) {
        LedgerEntry entry = read(entryLocation, LedgerEntry.class);
        List<LedgerTransition> steps = new ArrayList<>();
        for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().quarantine(), layout.ledgerTransitionsPrefix(ledgerKind, runId))::iterator) {
            steps.add(read(object.location(), LedgerTransition.class));
        }
        steps.sort(Comparator.comparingInt(LedgerTransition::sequence));
        LedgerBatch batch = new LedgerBatch(entry, steps);
        if (batch.terminal()) {
            terminal.put(entryLocation, batch);
        }
        return batch;
    }

    private Location entryLocation(String ledgerKind, RunId runId) {
        return switch (ledgerKind) {
            case BATCHES -> layout.ledgerBatch(runId);
            case CONDEMNED -> layout.ledgerCondemned(runId);
            default -> throw new IllegalArgumentException("Unknown ledger kind '" + ledgerKind + "' (batches or condemned)");
        };
    }

    private static RunId runIdOf(Location entry) {
        String key = entry.key();
        int start = key.lastIndexOf("run_id=") + "run_id=".length();
        return RunId.of(key.substring(start, key.length() - ".json".length()));
    }

    private Optional<LedgerEntry> entryForCondemned(RunValidated run) {
        RunValidated.CondemnedBatch condemned = run.condemned();
        if (condemned == null || condemned.rows() == 0) {
            return Optional.empty();
        }
        int attempt = run.attempt();
        LedgerState opening = LedgerState.openingFor(LedgerEntry.KIND_CONDEMNED_ROWS);
        return Optional.of(new LedgerEntry(run.runId(), run.dataset(), run.ingestDate(), LedgerEntry.KIND_CONDEMNED_ROWS,
                condemned.location(), condemned.rows(), condemned.reasonCounts(), opening, attempt, null,
                List.of(new LedgerEntry.Transition(run.validatedAt(), opening, attempt,
                        condemned.rows() + " row(s) condemned " + condemned.reasonCounts() + " by run " + run.runId())),
                run.validatedAt(), null));
    }

    private Optional<LedgerEntry> entryFor(RunValidated run) {
        if (RunValidated.OUTCOME_FILE_REJECTED.equals(run.outcome()) && run.fileRejection() != null) {
            LedgerState opening = LedgerState.openingFor(LedgerEntry.KIND_FILE);
            return Optional.of(new LedgerEntry(run.runId(), run.dataset(), run.ingestDate(), LedgerEntry.KIND_FILE,
                    run.fileRejection().record(), 0, Map.of(run.fileRejection().code(), 1L), opening,
                    1, null,
                    List.of(new LedgerEntry.Transition(run.validatedAt(), opening, 1,
                            "File rejected: " + run.fileRejection().code() + ": " + run.fileRejection().message())),
                    run.validatedAt(), null));
        }
        RunValidated.QuarantineBatch batch = run.quarantine();
        if (batch == null || batch.rows() == 0) {
            return Optional.empty();
        }
        int attempt = run.attempt();
        var due = run.validatedAt().plus(backoff.delayBefore(attempt + 1));
        RunId next = RunId.forRetry(run.runId(), RetryDue.BATCH_QUARANTINE, attempt + 1, run.validatedAt());
        LedgerState opening = LedgerState.openingFor(LedgerEntry.KIND_ROWS);
        return Optional.of(new LedgerEntry(run.runId(), run.dataset(), run.ingestDate(), LedgerEntry.KIND_ROWS,
                batch.location(), batch.rows(), batch.errorCounts(), opening, attempt, due,
                List.of(new LedgerEntry.Transition(run.validatedAt(), opening, attempt,
                        batch.rows() + " row(s) quarantined at attempt " + attempt + "; attempt " + (attempt + 1) + " due at " + due
                                + " as run " + next)),
                run.validatedAt(), next.value()));
    }

    private boolean createOnce(Location location, Object document) {
        try {
            store.create(location, write(document), "application/json");
            return true;
        } catch (ObjectAlreadyExistsException e) {
            return false;
        }
    }

    private byte[] write(Object document) {
        try {
            return json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(Location location, Class<T> type) {
        try {
            return json.readValue(store.read(location), type);
        } catch (IOException e) {
            throw new StorageException("Unreadable ledger document " + location + ": " + e.getMessage(), false, e);
        }
    }
}
