package dev.mortgagelake.service.retry.operator;

import dev.mortgagelake.event.RetryDue;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.quarkus.operator.CurrentActor;
import dev.mortgagelake.security.OperatorRoles;
import dev.mortgagelake.retry.LakeConservation;
import dev.mortgagelake.retry.LedgerBatch;
import dev.mortgagelake.retry.LedgerEntry;
import dev.mortgagelake.retry.LedgerState;
import dev.mortgagelake.retry.LedgerTransition;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.retry.QuarantinedRows;
import dev.mortgagelake.validation.quarantine.QuarantinedRow;
import dev.mortgagelake.retry.approval.FourEyesViolationException;
import dev.mortgagelake.retry.approval.OperatorRequest;
import dev.mortgagelake.retry.approval.OperatorRequests;
import dev.mortgagelake.retry.approval.RequestRefusedException;
import dev.mortgagelake.retry.approval.RequestView;
import dev.mortgagelake.retry.audit.AuditEntry;
import dev.mortgagelake.retry.audit.AuditTrail;
import dev.mortgagelake.service.retry.RetryDispatcher;
import dev.mortgagelake.service.retry.RetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The quarantine operator API of retry-service: quarantine and condemned batches with
 * their state, rows, errors and history; four-eyes requests (an immediate retry, an extra attempt,
 * reprocessing of condemned rows) with approval or rejection by another person; the audit trail;
 * and the lake-wide conservation check. Every endpoint needs an authenticated operator:
 * <pre>
 * read batches, rows, requests, audit, conservation   platform-operator, quality-analyst, quality-approver
 *                                                     (audit and conservation: finance-controller too)
 * request retry-now / extra-attempt / reprocess       quality-analyst
 * approve / reject a request                          quality-approver, never the requester (403)
 * </pre>
 */
@Path("/quarantine")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "quarantine", description = "Quarantine lifecycle: batches, four-eyes requests, audit, conservation")
@SecurityRequirement(name = "basicAuth")
@SecurityRequirement(name = "bearerAuth")
public class QuarantineResource {

    private static final Logger LOG = Logger.getLogger(QuarantineResource.class);
    private static final int MAX_ROWS = 1000;

    @Inject
    QuarantineLedger ledger;

    @Inject
    QuarantinedRows rows;

    @Inject
    OperatorRequests requests;

    @Inject
    AuditTrail audit;

    @Inject
    LakeConservation conservation;

    @Inject
    RetryDispatcher dispatcher;

    @Inject
    CurrentActor currentActor;

    @Inject
    MeterRegistry metrics;

    /** A ledger batch as it is now, with its whole history. */
    public record BatchView(String batchRunId, String batchKind, String kind, LedgerState state, long rows, Map<String, Long> errorCounts,
                            int attemptCount, Instant nextAttemptDueAt, String nextRunId, String retriedBy,
                            Map<String, Long> retryOutcome, LedgerEntry.Transition opened, List<LedgerTransition> transitions,
                            String file) {

        static BatchView of(LedgerBatch batch) {
            LedgerTransition retired = batch.retiredBy().orElse(null);
            LedgerEntry entry = batch.entry();
            return new BatchView(entry.batchRunId(), batch.batchKind(), entry.kind(), batch.state(), entry.rows(), entry.errorCounts(),
                    batch.attemptCount(), batch.nextAttemptDueAt(), batch.attemptOutstanding() ? batch.nextRunId() : null,
                    retired == null ? null : retired.retryRunId(), retired == null ? null : retired.outcome(),
                    entry.history().isEmpty() ? null : entry.history().get(0), batch.transitions(), entry.quarantine().key());
        }
    }

    /** Why an operator acts; required for requests and rejections. */
    public record Reason(String reason) {
    }

    @GET
    @Path("/batches")
    @RolesAllowed(OperatorRoles.QUARANTINE_READERS)
    @Operation(summary = "Quarantine batches and file rejections with state and counts, oldest first; ?state=PENDING_RETRY filters")
    public List<BatchView> batches(@QueryParam("state") String state) {
        return list(QuarantineLedger.BATCHES, state);
    }

    @GET
    @Path("/batches/{runId}")
    @RolesAllowed(OperatorRoles.QUARANTINE_READERS)
    @Operation(summary = "One quarantine batch (or file rejection) with its history")
    public BatchView batch(@PathParam("runId") String runId) {
        return BatchView.of(find(QuarantineLedger.BATCHES, runId));
    }

    @GET
    @Path("/batches/{runId}/rows")
    @RolesAllowed(OperatorRoles.QUARANTINE_READERS)
    @Operation(summary = "A quarantine batch's rows: original values, every error, attempt count and retry history")
    public List<QuarantinedRow> batchRows(@PathParam("runId") String runId, @QueryParam("offset") @DefaultValue("0") long offset,
                                               @QueryParam("limit") @DefaultValue("100") int limit) {
        LedgerBatch batch = find(QuarantineLedger.BATCHES, runId);
        if (LedgerEntry.KIND_FILE.equals(batch.kind())) {
            throw new RequestRefusedException("Batch " + runId + " is a file rejection (" + batch.entry().quarantine().key()
                    + "); it has no rows", false);
        }
        return rows.read(batch.entry().quarantine(), Math.max(0, offset), clampLimit(limit));
    }

    @GET
    @Path("/condemned")
    @RolesAllowed(OperatorRoles.QUARANTINE_READERS)
    @Operation(summary = "Condemned batches with state, reasons and counts, oldest first; ?state=CONDEMNED filters")
    public List<BatchView> condemned(@QueryParam("state") String state) {
        return list(QuarantineLedger.CONDEMNED, state);
    }

    @GET
    @Path("/condemned/{runId}")
    @RolesAllowed(OperatorRoles.QUARANTINE_READERS)
    @Operation(summary = "One condemned batch with its history")
    public BatchView condemnedBatch(@PathParam("runId") String runId) {
        return BatchView.of(find(QuarantineLedger.CONDEMNED, runId));
    }

    @GET
    @Path("/condemned/{runId}/rows")
    @RolesAllowed(OperatorRoles.QUARANTINE_READERS)
    @Operation(summary = "A condemned batch's rows: original values, the condemnation reason, attempt count and history")
    public List<QuarantinedRow> condemnedRows(@PathParam("runId") String runId, @QueryParam("offset") @DefaultValue("0") long offset,
                                                   @QueryParam("limit") @DefaultValue("100") int limit) {
        return rows.read(find(QuarantineLedger.CONDEMNED, runId).entry().quarantine(), Math.max(0, offset), clampLimit(limit));
    }

    @POST
    @Path("/batches/{runId}/retry-now")
    @RolesAllowed(OperatorRoles.QUALITY_ANALYST)
    @Operation(summary = "Request an immediate retry of a pending batch (a quality approver, another person, must approve)")
    public Response requestRetryNow(@PathParam("runId") String runId, Reason body) {
        return filed(requests.request(OperatorRequest.RETRY_NOW, runId, currentActor.get(), reason(body)));
    }

    @POST
    @Path("/condemned/{runId}/extra-attempt")
    @RolesAllowed(OperatorRoles.QUALITY_ANALYST)
    @Operation(summary = "Request one attempt beyond the maximum for rows condemned for MAX_ATTEMPTS (needs an approval by another person)")
    public Response requestExtraAttempt(@PathParam("runId") String runId, Reason body) {
        return filed(requests.request(OperatorRequest.EXTRA_ATTEMPT, runId, currentActor.get(), reason(body)));
    }

    @POST
    @Path("/condemned/{runId}/reprocess")
    @RolesAllowed(OperatorRoles.QUALITY_ANALYST)
    @Operation(summary = "Recommend reprocessing condemned rows (the reason is the recommendation; needs an approval by another person)")
    public Response requestReprocess(@PathParam("runId") String runId, Reason body) {
        return filed(requests.request(OperatorRequest.REPROCESS, runId, currentActor.get(), reason(body)));
    }

    @GET
    @Path("/requests")
    @RolesAllowed(OperatorRoles.QUARANTINE_READERS)
    @Operation(summary = "Operator requests, oldest first; ?state=PENDING lists those waiting for an approver")
    public List<RequestView> requests(@QueryParam("state") String state) {
        return requests.list(state);
    }

    @GET
    @Path("/requests/{requestId}")
    @RolesAllowed(OperatorRoles.QUARANTINE_READERS)
    @Operation(summary = "One operator request and its decision")
    public RequestView request(@PathParam("requestId") String requestId) {
        return requests.find(requestId).orElseThrow(() -> new NotFoundException("No request '" + requestId + "'"));
    }

    @POST
    @Path("/requests/{requestId}/approve")
    @RolesAllowed(OperatorRoles.QUALITY_APPROVER)
    @Operation(summary = "Approve a request (never your own: 403); the approved attempt is dispatched at once")
    public RequestView approve(@PathParam("requestId") String requestId, Reason body) {
        OperatorRequests.Approval approval;
        try {
            approval = requests.approve(requestId, currentActor.get(), body == null ? null : body.reason());
        } catch (FourEyesViolationException e) {
            metrics.counter(RetryMetrics.DECISIONS, RetryMetrics.TAG_DECISION, "refused").increment();
            throw e;
        }
        metrics.counter(RetryMetrics.DECISIONS, RetryMetrics.TAG_DECISION, "approved").increment();
        metrics.counter(RetryMetrics.RETRIES_SCHEDULED, RetryMetrics.TAG_REASON, approvalReason(approval.request().request())).increment();
        try {
            dispatcher.dispatch(approval.batch(), "approval");
        } catch (RuntimeException e) {
            // The approval is in the ledger; the sweep sends the attempt (it is due now).
            LOG.warnf("retry-due for approved request %s not sent now (%s); the sweep sends it", requestId, e.getMessage());
        }
        LOG.infof("Request %s (%s on %s) approved by %s", requestId, approval.request().request().kind(),
                approval.request().request().batchRunId(), approval.request().decision().decidedBy());
        return approval.request();
    }

    @POST
    @Path("/requests/{requestId}/reject")
    @RolesAllowed(OperatorRoles.QUALITY_APPROVER)
    @Operation(summary = "Reject a request with a reason (never your own: 403); the batch stays as it is")
    public RequestView reject(@PathParam("requestId") String requestId, Reason body) {
        RequestView view;
        try {
            view = requests.reject(requestId, currentActor.get(), reason(body));
        } catch (FourEyesViolationException e) {
            metrics.counter(RetryMetrics.DECISIONS, RetryMetrics.TAG_DECISION, "refused").increment();
            throw e;
        }
        metrics.counter(RetryMetrics.DECISIONS, RetryMetrics.TAG_DECISION, "rejected").increment();
        return view;
    }

    @GET
    @Path("/audit")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "The append-only audit trail, oldest first; filter by actor, action, batch (run id), since/until (ISO-8601)")
    public List<AuditEntry> audit(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                  @QueryParam("batch") String batch, @QueryParam("since") String since,
                                  @QueryParam("until") String until, @QueryParam("limit") @DefaultValue("500") int limit) {
        return audit.list(new AuditTrail.Filter(actor, action, batch, instant("since", since), instant("until", until)),
                Math.max(1, Math.min(limit, 10_000)));
    }

    @GET
    @Path("/conservation")
    @RolesAllowed(OperatorRoles.EVERY_ROLE)
    @Operation(summary = "Proves that every row that ever entered is in exactly one of Silver, a pending quarantine batch or a condemned batch")
    public LakeConservation.Report conservation() {
        return conservation.check();
    }

    private List<BatchView> list(String ledgerKind, String state) {
        return ledger.batches().stream()
                .filter(b -> QuarantineLedger.CONDEMNED.equals(ledgerKind) == RetryDue.BATCH_CONDEMNED.equals(b.batchKind()))
                .filter(b -> state == null || state.equalsIgnoreCase(b.state().name()))
                .map(BatchView::of)
                .toList();
    }

    private LedgerBatch find(String ledgerKind, String runId) {
        try {
            RunId.of(runId);
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException(e.getMessage(), true);
        }
        return ledger.batch(ledgerKind, runId).orElseThrow(() -> new RequestRefusedException("No "
                + (QuarantineLedger.CONDEMNED.equals(ledgerKind) ? "condemned" : "quarantine") + " batch of run " + runId, true));
    }

    private static String reason(Reason body) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw new IllegalArgumentException("A reason is required: send {\"reason\": \"...\"}");
        }
        return body.reason();
    }

    private static int clampLimit(int limit) {
        return Math.max(1, Math.min(limit, MAX_ROWS));
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-01-21T12:00:00Z, not '" + value + "'");
        }
    }

    private Response filed(RequestView view) {
        metrics.counter(RetryMetrics.DECISIONS, RetryMetrics.TAG_DECISION, "requested").increment();
        return Response.status(Response.Status.CREATED).entity(view).build();
    }

    private static String approvalReason(OperatorRequest request) {
        return switch (request.kind()) {
            case OperatorRequest.RETRY_NOW -> RetryDue.REASON_RETRY_NOW;
            case OperatorRequest.EXTRA_ATTEMPT -> RetryDue.REASON_EXTRA_ATTEMPT;
            default -> RetryDue.REASON_REPROCESS;
        };
    }
}
