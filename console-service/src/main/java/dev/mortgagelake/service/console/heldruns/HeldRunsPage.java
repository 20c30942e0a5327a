package dev.mortgagelake.service.console.heldruns;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Held runs: why each was held (the audit gate's reasons, with the numbers against the thresholds),
 * its counts next to the last ten promoted runs, and approve/reject for a finance controller, carried
 * out by publish-service.
 */
@Path("/held-runs")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class HeldRunsPage {

    static final int RECENT = 10;

    @CheckedTemplate(basePath = "heldruns", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance list(Viewer viewer, List<Held> held, List<Recent> recent, String recentAverage, String problem);
    }

    /** A held run. */
    @TemplateData
    public record Held(String runId, String status, String heldAt, List<String> reasons, long read, long silver, long quarantined,
                       long condemned, String rate, String decidedBy, String decisionReason, String decidedAt, boolean pending) {
    }

    /** A recently promoted run, for comparison. */
    @TemplateData
    public record Recent(String runId, long read, String rate) {
    }

    @Inject
    LakeServices services;

    @Inject
    CurrentSession session;

    @GET
    public TemplateInstance list() {
        ConsoleSession who = session.get();
        Reply held = services.get(who, LakeService.PUBLISH, "/operator/held-runs");
        Reply runs = services.get(who, LakeService.PUBLISH, "/operator/runs?limit=200");
        List<Held> rows = new ArrayList<>();
        if (held.ok()) {
            for (JsonNode h : held.body()) {
                JsonNode counts = h.path("run").path("counts");
                long read = Json.number(counts, "rows_read");
                List<String> reasons = new ArrayList<>();
                h.path("reasons").forEach(r -> reasons.add(Json.text(r, "code") + ": " + Json.text(r, "message")));
                JsonNode decision = h.path("decision");
                rows.add(new Held(Json.text(h, "run_id"), Json.text(h, "status"), Json.text(h, "held_at"), reasons, read,
                        Json.number(counts, "silver"), Json.number(counts, "quarantined"), Json.number(counts, "condemned"),
                        rate(Json.number(counts, "quarantined"), read), Json.text(decision, "decided_by"), Json.text(decision, "reason"),
                        Json.text(decision, "decided_at"), "PENDING".equals(Json.text(h, "status"))));
            }
            java.util.Collections.reverse(rows);
        }
        List<Recent> recent = new ArrayList<>();
        long total = 0;
        if (runs.ok()) {
            for (JsonNode run : runs.body()) {
                if (recent.size() == RECENT) {
                    break;
                }
                if ("PROMOTED".equals(Json.text(run, "publication"))) {
                    long read = Json.number(run.path("validation").path("counts"), "rows_read");
                    total += read;
                    recent.add(new Recent(Json.text(run, "run_id"), read,
                            rate(Json.number(run.path("validation").path("counts"), "quarantined"), read)));
                }
            }
        }
        String average = recent.isEmpty() ? "" : BigDecimal.valueOf(total).divide(BigDecimal.valueOf(recent.size()), 1,
                RoundingMode.HALF_EVEN).toPlainString();
        return Templates.list(who.viewer(), rows, recent, average, held.ok() ? null : held.message());
    }

    @POST
    @Path("/{runId}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(@PathParam("runId") String runId, @FormParam("reason") String reason, @FormParam("csrf") String csrf) {
        return decide(runId, "approve", reason, csrf, r -> "Run " + runId + " " + Json.text(r.body(), "status").toLowerCase()
                + " as Silver version " + Json.text(r.body(), "table_version") + ".");
    }

    @POST
    @Path("/{runId}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reject(@PathParam("runId") String runId, @FormParam("reason") String reason, @FormParam("csrf") String csrf) {
        return decide(runId, "reject", reason, csrf, r -> "Run " + runId + " rejected: it will never be promoted.");
    }

    private Response decide(String runId, String verb, String reason, String csrf, java.util.function.Function<Reply, String> success) {
        ConsoleSession who = session.get();
        Forms.requireCsrf(who, csrf);
        String id = LakeServices.segment(runId);
        if (!Forms.hasReason(who, reason, "/held-runs")) {
            return Forms.seeOther("/held-runs");
        }
        Reply reply = services.post(who, LakeService.PUBLISH, "/operator/held-runs/" + id + "/" + verb, Map.of("reason", reason.strip()));
        return Forms.report(who, reply, ("approve".equals(verb) ? "Approve" : "Reject") + " held run " + id, success, "/held-runs");
    }

    private static String rate(long quarantined, long read) {
        return read == 0 ? "0.00%" : Json.percent(BigDecimal.valueOf(quarantined).divide(BigDecimal.valueOf(read), 6, RoundingMode.HALF_EVEN));
    }
}
