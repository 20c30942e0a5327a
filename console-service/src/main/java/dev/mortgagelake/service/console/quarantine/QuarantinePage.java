package dev.mortgagelake.service.console.quarantine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.service.console.Forms;
import dev.mortgagelake.service.console.Json;
import dev.mortgagelake.service.console.backend.LakeService;
import dev.mortgagelake.service.console.backend.LakeServices;
import dev.mortgagelake.service.console.backend.Reply;
import dev.mortgagelake.service.console.session.ConsoleSession;
import dev.mortgagelake.service.console.session.CurrentSession;
import dev.mortgagelake.service.console.session.Viewer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Quarantine and condemned batches by state with their next retry, and the four-eyes requests: a
 * quality analyst requests a retry now, an extra attempt or reprocessing with a reason; a quality
 * approver (another person) approves or rejects. Every action is retry-service's, made with the
 * signed-in person's credentials; its refusals (role, four-eyes) are shown as such.
 */
@Path("/quarantine")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class QuarantinePage {

    @CheckedTemplate(basePath = "quarantine", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance list(Viewer viewer, String state, List<Batch> batches, List<Batch> condemned, List<Request> requests,
                                            List<String> states, String problem);
    }

    /** A quarantine or condemned batch. */
    @TemplateData
    public record Batch(String runId, String kind, String state, long rows, String errors, int attempt, String nextAttemptDue,
                        String retriedBy, String file, boolean pendingRetry, boolean condemnedForAttempts, boolean open) {

        static Batch of(JsonNode b) {
            String state = Json.text(b, "state");
            return new Batch(Json.text(b, "batch_run_id"), Json.text(b, "kind"), state, Json.number(b, "rows"),
                    Json.counts(b.path("error_counts")), b.path("attempt_count").asInt(), Json.text(b, "next_attempt_due_at"),
                    Json.text(b, "retried_by"), Json.text(b, "file"), "PENDING_RETRY".equals(state),
                    b.path("error_counts").has("MAX_ATTEMPTS"), "CONDEMNED".equals(state));
        }
    }

    /** A four-eyes request and its decision. */
    @TemplateData
    public record Request(String requestId, String kind, String batchKind, String batchRunId, String requestedBy, String reason,
                          String requestedAt, String state, String decidedBy, String decisionReason, String decidedAt,
                          String retryRunId, boolean pending) {

        static Request of(JsonNode view) {
            JsonNode r = view.path("request");
            JsonNode d = view.path("decision");
            String state = d.isObject() ? Json.text(d, "decision") : "PENDING";
            return new Request(Json.text(r, "request_id"), Json.text(r, "kind"), Json.text(r, "batch_kind"), Json.text(r, "batch_run_id"),
                    Json.text(r, "requested_by"), Json.text(r, "reason"), Json.text(r, "requested_at"), state,
                    Json.text(d, "decided_by"), Json.text(d, "reason"), Json.text(d, "decided_at"), Json.text(d, "retry_run_id"),
                    !d.isObject());
        }
    }

    @Inject
    LakeServices services;

    @Inject
    CurrentSession session;

    @GET
    public TemplateInstance list(@QueryParam("state") String state) {
        ConsoleSession who = session.get();
        String filter = state == null || state.isBlank() ? "" : "?state=" + LakeServices.query(state);
        Reply batches = services.get(who, LakeService.RETRY, "/quarantine/batches" + filter);
        Reply condemned = services.get(who, LakeService.RETRY, "/quarantine/condemned" + filter);
        Reply requests = services.get(who, LakeService.RETRY, "/quarantine/requests");
        List<Batch> batchRows = new ArrayList<>();
        List<Batch> condemnedRows = new ArrayList<>();
        List<Request> requestRows = new ArrayList<>();
        if (batches.ok()) {
            batches.body().forEach(b -> batchRows.add(Batch.of(b)));
        }
        if (condemned.ok()) {
            condemned.body().forEach(b -> condemnedRows.add(Batch.of(b)));
        }
        if (requests.ok()) {
            requests.body().forEach(r -> requestRows.add(Request.of(r)));
        }
        // Newest first: the work of the day is at the top.
        java.util.Collections.reverse(batchRows);
        java.util.Collections.reverse(condemnedRows);
        java.util.Collections.reverse(requestRows);
        String problem = batches.ok() ? null : batches.message();
        return Templates.list(who.viewer(), state == null ? "" : state, batchRows, condemnedRows, requestRows,
                List.of("PENDING_RETRY", "RETRIED", "AWAITING_REVIEW", "CONDEMNED", "REPROCESSING_REQUESTED", "REPROCESSING_APPROVED",
                "REPROCESSED"), problem);
    }

    @POST
    @Path("/batches/{runId}/retry-now")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retryNow(@PathParam("runId") String runId, @FormParam("reason") String reason, @FormParam("csrf") String csrf) {
        return request("/quarantine/batches/" + LakeServices.segment(runId) + "/retry-now", "Request a retry now", reason, csrf);
    }

    @POST
    @Path("/condemned/{runId}/extra-attempt")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response extraAttempt(@PathParam("runId") String runId, @FormParam("reason") String reason, @FormParam("csrf") String csrf) {
        return request("/quarantine/condemned/" + LakeServices.segment(runId) + "/extra-attempt", "Request an extra attempt", reason, csrf);
    }

    @POST
    @Path("/condemned/{runId}/reprocess")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reprocess(@PathParam("runId") String runId, @FormParam("reason") String reason, @FormParam("csrf") String csrf) {
        return request("/quarantine/condemned/" + LakeServices.segment(runId) + "/reprocess", "Request reprocessing", reason, csrf);
    }

    @POST
    @Path("/requests/{requestId}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(@PathParam("requestId") String requestId, @FormParam("reason") String reason, @FormParam("csrf") String csrf) {
        return decide(requestId, "approve", "Approve request " + requestId, reason, csrf,
                r -> "Approved; retry-service sent the attempt (retry run " + Json.text(r.body().path("decision"), "retry_run_id") + ").");
    }

    @POST
    @Path("/requests/{requestId}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reject(@PathParam("requestId") String requestId, @FormParam("reason") String reason, @FormParam("csrf") String csrf) {
        return decide(requestId, "reject", "Reject request " + requestId, reason, csrf, r -> "Rejected; the batch stays as it is.");
    }

    private Response request(String path, String action, String reason, String csrf) {
        ConsoleSession who = session.get();
        Forms.requireCsrf(who, csrf);
        if (!Forms.hasReason(who, reason, "/quarantine")) {
            return Forms.seeOther("/quarantine");
        }
        Reply reply = services.post(who, LakeService.RETRY, path, Map.of("reason", reason.strip()));
        return Forms.report(who, reply, action, r -> "Request " + Json.text(r.body().path("request"), "request_id")
                + " filed; a quality approver other than you must approve it.", "/quarantine");
    }

    private Response decide(String requestId, String verb, String action, String reason, String csrf,
                            java.util.function.Function<Reply, String> success) {
        ConsoleSession who = session.get();
        Forms.requireCsrf(who, csrf);
        String id = LakeServices.segment(requestId);
        if ("reject".equals(verb) && !Forms.hasReason(who, reason, "/quarantine")) {
            return Forms.seeOther("/quarantine");
        }
        Map<String, String> body = reason == null || reason.isBlank() ? Map.of() : Map.of("reason", reason.strip());
        Reply reply = services.post(who, LakeService.RETRY, "/quarantine/requests/" + id + "/" + verb, body);
        return Forms.report(who, reply, action, success, "/quarantine");
    }
}
