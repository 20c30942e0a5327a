package dev.mortgagelake.retry.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.operator.Actor;
import dev.mortgagelake.retry.CondemnationPolicy;
import dev.mortgagelake.retry.IllegalLedgerTransitionException;
import dev.mortgagelake.retry.LedgerBatch;
import dev.mortgagelake.retry.LedgerConflictException;
import dev.mortgagelake.retry.LedgerState;
import dev.mortgagelake.retry.LedgerTransition;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.retry.audit.AuditEntry;
import dev.mortgagelake.retry.audit.AuditTrail;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StorageException;
import dev.mortgagelake.storage.StoredObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Human decisions on the quarantine, four eyes: a quality analyst requests (an immediate retry, an
 * extra attempt beyond the maximum, or the reprocessing of condemned rows, always with a reason),
 * and a quality approver who is <em>not</em> the requester approves or rejects.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The requester never decides their own request: {@link #approve}/{@link #reject} by the same
 *       identity throw {@link FourEyesViolationException}, are audited as {@code DECISION_REFUSED}, and
 *       change nothing.</li>
 *   <li>A request is decided at most once (the decision document is created once).</li>
 *   <li>Condemned rows are re-validated only after an approval: the ledger step
 *       {@code REPROCESSING_APPROVED} (which names the retry run) is appended only here, and only for
 *       the request the batch is waiting on.</li>
 *   <li>Every request, approval, rejection and refusal is in the {@link AuditTrail}.</li>
 * </ul>
 * Crash-safe: each step is idempotent, so a decision interrupted between its writes completes when
 * it is made again (the ledger step is recognised by its request id).
 */
public final class OperatorRequests {

    /** Role that requests. */
    public static final String QUALITY_ANALYST = "quality-analyst";
    /** Role that approves or rejects. */
    public static final String QUALITY_APPROVER = "quality-approver";

    private static final Set<String> CONDEMNED_KINDS = Set.of(OperatorRequest.EXTRA_ATTEMPT, OperatorRequest.REPROCESS);

    private final ObjectStore store;
    private final LakeLayout layout;
    private final QuarantineLedger ledger;
    private final AuditTrail audit;
    private final Clock clock;
    private final ObjectMapper json = EventCodec.mapper();

    public OperatorRequests(ObjectStore store, LakeLayout layout, QuarantineLedger ledger, AuditTrail audit, Clock clock) {
        this.store = store;
        this.layout = layout;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Files a request.
     *
     * @param kind       {@link OperatorRequest#RETRY_NOW} (on a pending quarantine batch) or
     *                   {@link OperatorRequest#EXTRA_ATTEMPT} / {@link OperatorRequest#REPROCESS} (on a condemned batch)
     * @throws IllegalArgumentException for an unknown kind or a blank reason
     * @throws RequestRefusedException  when the batch does not exist or is not in a state for this request
     */
    public RequestView request(String kind, String batchRunId, Actor analyst, String reason) {
        if (!Set.of(OperatorRequest.RETRY_NOW, OperatorRequest.EXTRA_ATTEMPT, OperatorRequest.REPROCESS).contains(kind)) {
            throw new IllegalArgumentException("Unknown request kind '" + kind + "'; one of RETRY_NOW, EXTRA_ATTEMPT, REPROCESS");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A request needs a reason (the quality recommendation: why these rows should be retried)");
        }
        try {
            RunId.of(batchRunId);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException("No batch '" + batchRunId + "': " + e.getMessage(), true);
        }
        boolean condemned = CONDEMNED_KINDS.contains(kind);
        String batchKind = condemned ? RetryDue.BATCH_CONDEMNED : RetryDue.BATCH_QUARANTINE;
        LedgerBatch batch = ledger.batchOf(batchKind, batchRunId).orElseThrow(() -> new RequestRefusedException(
                "No " + (condemned ? "condemned" : "quarantine") + " batch of run " + batchRunId + " in the ledger", true));
        Optional<RequestView> open = openRequestFor(batchKind, batchRunId);
        if (open.isPresent()) {
            throw new RequestRefusedException("Batch " + batchRunId + " already has request " + open.get().request().requestId() + " ("
                    + open.get().request().kind() + " by " + open.get().request().requestedBy() + ") waiting for an approver", false);
        }
        checkRequestable(kind, batch);
        Instant now = clock.instant();
        OperatorRequest request = new OperatorRequest(UUID.randomUUID().toString(), kind, batchKind, batchRunId, analyst.name(),
                analyst.roleAmong(QUALITY_ANALYST), reason.strip(), now);
        create(layout.ledgerRequest(request.requestId()), request);
        if (condemned) {
            try {
                ledger.append(batch, new LedgerTransition(0, now, LedgerState.REPROCESSING_REQUESTED, batch.attemptCount(), null,
                        null, null, analyst.name(), request.requestId(), null, null,
                        kind + " requested by " + analyst.name() + ": " + request.reason()));
            } catch (LedgerConflictException e) {
                RequestDecision withdrawn = new RequestDecision(request.requestId(), RequestDecision.WITHDRAWN, AuditEntry.SYSTEM_ACTOR,
                        AuditEntry.SYSTEM_ROLE, "the batch changed while the request was filed; file it again", now, null);
                createOrRead(layout.ledgerRequestDecision(request.requestId()), withdrawn, RequestDecision.class);
                throw new RequestRefusedException("Batch " + batchRunId + " changed while the request was filed; file it again", false);
            }
        }
        audit.record(now, analyst.name(), request.requesterRole(), AuditEntry.REQUESTED, request.requestId(), batchRunId,
                request.reason(), Map.of("kind", kind, "batch_kind", batchKind, "attempt_count", String.valueOf(batch.attemptCount())));
        return new RequestView(request, null);
    }

    /** An approval: the result and the batch after it (the caller dispatches the approved attempt now). */
    public record Approval(RequestView request, LedgerBatch batch) {
    }

    /**
     * Approves a request: the batch's next attempt is due now (it becomes the run named in the decision).
     *
     * @throws FourEyesViolationException if {@code approver} filed the request
     * @throws RequestRefusedException    if the request does not exist, was decided, or the batch moved on
     */
    public Approval approve(String requestId, Actor approver, String reason) {
        OperatorRequest request = requireOpen(requestId, approver, "approve");
        Instant now = clock.instant();
        LedgerBatch batch = ledger.batchOf(request.batchKind(), request.batchRunId()).orElseThrow(() ->
                new RequestRefusedException("The batch of request " + requestId + " is not in the ledger", true));
        LedgerBatch updated = applyApproval(request, batch, approver, now);
        LedgerTransition step = updated.transitions().get(updated.transitions().size() - 1);
        RequestDecision decision = decide(new RequestDecision(requestId, RequestDecision.APPROVED, approver.name(),
                approver.roleAmong(QUALITY_APPROVER), blankToNull(reason), step.at(), updated.nextRunId()));
        audit.record(step.at(), approver.name(), decision.deciderRole(), AuditEntry.APPROVED, requestId, request.batchRunId(),
                decision.reason() == null ? "approved" : decision.reason(),
                Map.of("kind", request.kind(), "requested_by", request.requestedBy(), "retry_run_id", String.valueOf(updated.nextRunId()),
                        "attempt", String.valueOf(updated.attemptCount() + 1)));
        return new Approval(new RequestView(request, decision), updated);
    }

    /**
     * Rejects a request: the batch stays where it was (condemned rows stay condemned).
     *
     * @throws FourEyesViolationException if {@code approver} filed the request
     * @throws RequestRefusedException    if the request does not exist or was decided
     */
    public RequestView reject(String requestId, Actor approver, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("A rejection needs a reason");
        }
        OperatorRequest request = requireOpen(requestId, approver, "reject");
        Instant now = clock.instant();
        Instant at = now;
        if (CONDEMNED_KINDS.contains(request.kind())) {
            LedgerBatch batch = ledger.batchOf(request.batchKind(), request.batchRunId()).orElseThrow();
            Optional<LedgerTransition> done = stepOf(batch, requestId, LedgerState.CONDEMNED);
            if (done.isPresent()) {
                at = done.get().at();
            } else if (batch.state() != LedgerState.CONDEMNED) {
                // REPROCESSING_REQUESTED becomes CONDEMNED again; LedgerState refuses any other state (e.g. the
                // ledger already has this request's approval: approving it again completes that). A batch still
                // CONDEMNED never recorded the request (filing it stopped before its step): nothing to undo.
                ledger.append(batch, new LedgerTransition(0, now, LedgerState.CONDEMNED, batch.attemptCount(), null, null, null,
                        approver.name(), requestId, null, null, request.kind() + " rejected by " + approver.name() + ": " + reason.strip()));
            }
        }
        RequestDecision decision = decide(new RequestDecision(requestId, RequestDecision.REJECTED, approver.name(),
                approver.roleAmong(QUALITY_APPROVER), reason.strip(), at, null));
        audit.record(at, approver.name(), decision.deciderRole(), AuditEntry.REJECTED, requestId, request.batchRunId(), decision.reason(),
                Map.of("kind", request.kind(), "requested_by", request.requestedBy()));
        return new RequestView(request, decision);
    }

    /** A request and its decision. */
    public Optional<RequestView> find(String requestId) {
        Location location = layout.ledgerRequest(requestId);
        if (store.head(location).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(view(read(location, OperatorRequest.class)));
    }

    /** Every request, oldest first; {@code state} ({@code PENDING}, {@code APPROVED}, ...) filters when not null. */
    public List<RequestView> list(String state) {
        List<RequestView> views = new ArrayList<>();
        for (StoredObject object : (Iterable<StoredObject>) store.listing(layout.buckets().quarantine(), layout.ledgerRequestsPrefix())::iterator) {
            RequestView view = view(read(object.location(), OperatorRequest.class));
            if (state == null || state.equalsIgnoreCase(view.state())) {
                views.add(view);
            }
        }
        views.sort(java.util.Comparator.comparing(v -> v.request().requestedAt()));
        return views;
    }

    /**
     * Refuses, before anything is written, a request whose ledger step {@link LedgerState} would refuse:
     * an immediate retry reschedules the batch ({@code PENDING_RETRY} again when approved), the other
     * requests move condemned rows to {@code REPROCESSING_REQUESTED}.
     */
    private void checkRequestable(String kind, LedgerBatch batch) {
        LedgerState state = batch.state();
        switch (kind) {
            case OperatorRequest.RETRY_NOW -> {
                if (!state.canTransitionTo(LedgerState.PENDING_RETRY)) {
                    throw new RequestRefusedException("Batch " + batch.batchRunId() + " is " + state
                            + "; an immediate retry is only for a batch PENDING_RETRY", false);
                }
            }
            case OperatorRequest.EXTRA_ATTEMPT -> {
                requireCondemned(batch);
                Set<String> reasons = batch.entry().errorCounts().keySet();
                if (!reasons.equals(Set.of(CondemnationPolicy.Reason.MAX_ATTEMPTS.name()))) {
                    throw new RequestRefusedException("Batch " + batch.batchRunId() + " was condemned for " + reasons
                            + "; an extra attempt is only for rows condemned for MAX_ATTEMPTS (request REPROCESS instead)", false);
                }
            }
            default -> requireCondemned(batch);
        }
    }

    private static void requireCondemned(LedgerBatch batch) {
        if (!batch.state().canTransitionTo(LedgerState.REPROCESSING_REQUESTED)) {
            throw new RequestRefusedException("Condemned batch " + batch.batchRunId() + " is " + batch.state()
                    + "; a request needs it CONDEMNED", false);
        }
    }

    private OperatorRequest requireOpen(String requestId, Actor decider, String verb) {
        RequestView view = find(requestId).orElseThrow(() -> new RequestRefusedException("No request '" + requestId + "'", true));
        OperatorRequest request = view.request();
        if (request.requestedBy().equals(decider.name())) {
            audit.record(clock.instant(), decider.name(), String.join(",", decider.sortedRoles()),
                    AuditEntry.DECISION_REFUSED, requestId, request.batchRunId(), "four-eyes rule: tried to " + verb + " own request",
                    Map.of("kind", request.kind()));
            throw new FourEyesViolationException(decider.name() + " filed request " + requestId + " and cannot also " + verb
                    + " it: four-eyes rule, another quality approver must decide");
        }
        if (view.decision() != null) {
            throw new RequestRefusedException("Request " + requestId + " was already " + view.decision().decision() + " by "
                    + view.decision().decidedBy() + " at " + view.decision().decidedAt(), false);
        }
        decider.roleAmong(QUALITY_APPROVER);
        return request;
    }

    private LedgerBatch applyApproval(OperatorRequest request, LedgerBatch batch, Actor approver, Instant now) {
        if (OperatorRequest.RETRY_NOW.equals(request.kind())) {
            Optional<LedgerTransition> done = stepOf(batch, request.requestId(), LedgerState.PENDING_RETRY);
            if (done.isPresent()) {
                return batch;
            }
            try {
                return ledger.append(batch, new LedgerTransition(0, now, LedgerState.PENDING_RETRY, batch.attemptCount(), now,
                        batch.nextRunId(), RetryDue.REASON_RETRY_NOW, approver.name(), request.requestId(), null, null,
                        "immediate retry approved by " + approver.name() + " (requested by " + request.requestedBy() + ")"));
            } catch (IllegalLedgerTransitionException e) {
                throw new RequestRefusedException("Batch " + batch.batchRunId() + " is " + e.from() + " now; nothing to retry", false);
            }
        }
        if (stepOf(batch, request.requestId(), LedgerState.REPROCESSING_APPROVED).isPresent()) {
            return batch;
        }
        Optional<LedgerTransition> last = batch.transitions().isEmpty() ? Optional.empty()
                : Optional.of(batch.transitions().get(batch.transitions().size() - 1));
        if (!last.map(s -> request.requestId().equals(s.requestId())).orElse(false)) {
            throw new RequestRefusedException("Condemned batch " + batch.batchRunId() + " is " + batch.state()
                    + " and not waiting on request " + request.requestId(), false);
        }
        int attempt = batch.attemptCount() + 1;
        String runId = RunId.forRetry(batch.batchRunId(), RetryDue.BATCH_CONDEMNED, attempt, now).value();
        String reason = OperatorRequest.EXTRA_ATTEMPT.equals(request.kind()) ? RetryDue.REASON_EXTRA_ATTEMPT : RetryDue.REASON_REPROCESS;
        try {
            return ledger.append(batch, new LedgerTransition(0, now, LedgerState.REPROCESSING_APPROVED, batch.attemptCount(), now,
                    runId, reason, approver.name(), request.requestId(), null, null,
                    request.kind() + " approved by " + approver.name() + " (recommended by " + request.requestedBy() + "): attempt "
                            + attempt + " as run " + runId));
        } catch (IllegalLedgerTransitionException e) {
            throw new RequestRefusedException("Condemned batch " + batch.batchRunId() + " is " + e.from()
                    + " and not waiting on request " + request.requestId(), false);
        }
    }

    private static Optional<LedgerTransition> stepOf(LedgerBatch batch, String requestId, LedgerState state) {
        return batch.transitions().stream().filter(s -> requestId.equals(s.requestId()) && state == s.state()).findFirst();
    }

    private RequestDecision decide(RequestDecision decision) {
        RequestDecision stored = createOrRead(layout.ledgerRequestDecision(decision.requestId()), decision, RequestDecision.class);
        if (!stored.decidedBy().equals(decision.decidedBy()) || !stored.decision().equals(decision.decision())) {
            throw new RequestRefusedException("Request " + decision.requestId() + " was " + stored.decision() + " by "
                    + stored.decidedBy() + " at " + stored.decidedAt() + " meanwhile", false);
        }
        return stored;
    }

    private RequestView view(OperatorRequest request) {
        Location decision = layout.ledgerRequestDecision(request.requestId());
        try {
            return new RequestView(request, json.readValue(store.read(decision), RequestDecision.class));
        } catch (ObjectNotFoundException e) {
            return new RequestView(request, null);
        } catch (IOException e) {
            throw new StorageException("Unreadable decision " + decision + ": " + e.getMessage(), false, e);
        }
    }

    private Optional<RequestView> openRequestFor(String batchKind, String batchRunId) {
        return list(RequestView.PENDING).stream()
                .filter(v -> v.request().batchKind().equals(batchKind) && v.request().batchRunId().equals(batchRunId))
                .findFirst();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private void create(Location location, Object document) {
        try {
            store.create(location, json.writeValueAsBytes(document), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T createOrRead(Location location, T document, Class<T> type) {
        try {
            store.create(location, json.writeValueAsBytes(document), "application/json");
            return document;
        } catch (ObjectAlreadyExistsException e) {
            return read(location, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(Location location, Class<T> type) {
        try {
            return json.readValue(store.read(location), type);
        } catch (IOException e) {
            throw new StorageException("Unreadable request document " + location + ": " + e.getMessage(), false, e);
        }
    }
}
