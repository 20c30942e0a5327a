package dev.mortgagelake.retry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.event.EventCodec;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The quarantine ledger, kept in S3 under {@code quarantine/_ledger/...}: one entry per quarantine
 * batch, created once when retry-service takes ownership of the batch.
 *
 * <p>Invariant: a batch has at most one entry; recording the same {@code run-validated} again
 * returns the existing entry unchanged (create-once, so concurrent deliveries cannot fork it).
 */
public final class QuarantineLedger {

    private final ObjectStore store;
    private final LakeLayout layout;
    private final BackoffSchedule backoff;
    private final ObjectMapper json = EventCodec.mapper();

    public QuarantineLedger(ObjectStore store, LakeLayout layout, BackoffSchedule backoff) {
        this.store = store;
        this.layout = layout;
        this.backoff = backoff;
    }

    /**
     * Takes ownership of what a validated run quarantined: a ROWS entry pending its first retry, or
     * a FILE entry awaiting review. Returns empty when the run quarantined nothing.
     */
    public Optional<LedgerEntry> record(RunValidated run) {
        recordCondemned(run);
        Optional<LedgerEntry> entry = entryFor(run);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Location location = layout.ledgerBatch(RunId.of(run.runId()));
        try {
            store.create(location, write(entry.get()), "application/json");
            return entry;
        } catch (ObjectAlreadyExistsException e) {
            return Optional.of(read(location));
        }
    }

    /**
     * Records the rows {@code run} condemned (a {@code CONDEMNED_ROWS} entry in state
     * {@code CONDEMNED}, create-once under {@link LakeLayout#ledgerCondemned}); empty when it condemned
     * none. Called by {@link #record}, so every row of a validated run is in the ledger or in Silver.
     */
    public Optional<LedgerEntry> recordCondemned(RunValidated run) {
        RunValidated.CondemnedBatch condemned = run.condemned();
        if (condemned == null || condemned.rows() == 0) {
            return Optional.empty();
        }
        LedgerEntry entry = new LedgerEntry(run.runId(), run.dataset(), run.ingestDate(), LedgerEntry.KIND_CONDEMNED_ROWS,
                condemned.location(), condemned.rows(), condemned.reasonCounts(), LedgerEntry.STATE_CONDEMNED, 1, null,
                List.of(new LedgerEntry.Transition(run.validatedAt(), LedgerEntry.STATE_CONDEMNED, 1,
                        condemned.rows() + " row(s) condemned by validation " + condemned.reasonCounts())),
                run.validatedAt());
        Location location = layout.ledgerCondemned(RunId.of(run.runId()));
        try {
            store.create(location, write(entry), "application/json");
            return Optional.of(entry);
        } catch (ObjectAlreadyExistsException e) {
            return Optional.of(read(location));
        }
    }

    /** The condemned-rows entry of a run, if the ledger has it. */
    public Optional<LedgerEntry> findCondemned(String runId) {
        Location location = layout.ledgerCondemned(RunId.of(runId));
        return store.head(location).map(o -> read(location));
    }

    /** The entry of a batch, if the ledger has it. */
    public Optional<LedgerEntry> find(String batchRunId) {
        Location location = layout.ledgerBatch(RunId.of(batchRunId));
        return store.head(location).map(o -> read(location));
    }

    /** Every entry, oldest batch first. */
    public List<LedgerEntry> list() {
        List<LedgerEntry> entries = new ArrayList<>();
        for (StoredObject object : store.list(layout.buckets().quarantine(), layout.ledgerPrefix() + "batches/")) {
            entries.add(read(object.location()));
        }
        return entries;
    }

    private Optional<LedgerEntry> entryFor(RunValidated run) {
        if (RunValidated.OUTCOME_FILE_REJECTED.equals(run.outcome()) && run.fileRejection() != null) {
            return Optional.of(new LedgerEntry(run.runId(), run.dataset(), run.ingestDate(), LedgerEntry.KIND_FILE,
                    run.fileRejection().record(), 0, Map.of(run.fileRejection().code(), 1L), LedgerEntry.STATE_AWAITING_REVIEW,
                    1, null,
                    List.of(new LedgerEntry.Transition(run.validatedAt(), LedgerEntry.STATE_AWAITING_REVIEW, 1,
                            "File rejected: " + run.fileRejection().code() + ": " + run.fileRejection().message())),
                    run.validatedAt()));
        }
        RunValidated.QuarantineBatch batch = run.quarantine();
        if (batch == null || batch.rows() == 0) {
            return Optional.empty();
        }
        var due = run.validatedAt().plus(backoff.delayBefore(2));
        return Optional.of(new LedgerEntry(run.runId(), run.dataset(), run.ingestDate(), LedgerEntry.KIND_ROWS,
                batch.location(), batch.rows(), batch.errorCounts(), LedgerEntry.STATE_PENDING_RETRY, 1, due,
                List.of(new LedgerEntry.Transition(run.validatedAt(), LedgerEntry.STATE_PENDING_RETRY, 1,
                        batch.rows() + " row(s) quarantined; attempt 2 due at " + due)),
                run.validatedAt()));
    }

    private byte[] write(LedgerEntry entry) {
        try {
            return json.writeValueAsBytes(entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LedgerEntry read(Location location) {
        try {
            return json.readValue(store.read(location), LedgerEntry.class);
        } catch (IOException e) {
            throw new StorageException("Unreadable ledger entry " + location + ": " + e.getMessage(), false, e);
        }
    }
}
