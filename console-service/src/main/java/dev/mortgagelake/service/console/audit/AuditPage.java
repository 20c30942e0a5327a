package dev.mortgagelake.service.console.audit;

import com.fasterxml.jackson.databind.JsonNode;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail: retry-service's append-only trail of quarantine decisions (filter by actor, action,
 * batch, time), publish-service's decisions on held runs and its rollbacks, and the lake-wide
 * conservation check (every row that entered is in exactly one of Silver, a pending batch or a
 * condemned batch).
 */
@Path("/audit")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class AuditPage {

    @CheckedTemplate(basePath = "audit", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance list(Viewer viewer, String actor, String action, String batch, String since, List<Entry> entries,
                                            String problem, List<Entry> publishEntries, Conservation conservation);
    }

    /** One audited action. */
    @TemplateData
    public record Entry(String at, String actor, String role, String action, String subject, String batch, String reason, String detail) {
    }

    /** The conservation check's report. */
    @TemplateData
    public record Conservation(boolean holds, long entered, long silver, long pending, long condemned, int runs, int retryRuns,
                               int filesRejected, String openByState, List<String> violations, String problem) {
    }

    @Inject
    LakeServices services;

    @Inject
    CurrentSession session;

    @GET
    public TemplateInstance list(@QueryParam("actor") String actor, @QueryParam("action") String action, @QueryParam("batch") String batch,
                                 @QueryParam("since") String since) {
        ConsoleSession who = session.get();
        StringBuilder query = new StringBuilder("/quarantine/audit?limit=1000");
        append(query, "actor", actor);
        append(query, "action", action);
        append(query, "batch", batch);
        append(query, "since", since);
        Reply trail = services.get(who, LakeService.RETRY, query.toString());
        List<Entry> entries = new ArrayList<>();
        if (trail.ok()) {
            for (JsonNode e : trail.body()) {
                entries.add(new Entry(Json.text(e, "at"), Json.text(e, "actor"), Json.text(e, "role"), Json.text(e, "action"),
                        Json.text(e, "subject"), Json.text(e, "batch_run_id"), Json.text(e, "reason"), Json.counts(e.path("details"))));
            }
            java.util.Collections.reverse(entries);
        }
        List<Entry> publish = publishDecisions(who, actor, action, batch);
        Reply check = services.get(who, LakeService.RETRY, "/quarantine/conservation");
        Conservation conservation;
        if (check.ok()) {
            JsonNode c = check.body();
            conservation = new Conservation(c.path("violations").isEmpty(), Json.number(c, "rows_entered"), Json.number(c, "silver"),
                    Json.number(c, "quarantine_pending"), Json.number(c, "condemned"), c.path("runs").asInt(), c.path("retry_runs").asInt(),
                    c.path("files_rejected").asInt(), Json.counts(c.path("open_rows_by_state")), Json.strings(c.path("violations")), null);
        } else {
            conservation = new Conservation(false, 0, 0, 0, 0, 0, 0, 0, "", List.of(), check.message());
        }
        return Templates.list(who.viewer(), nz(actor), nz(action), nz(batch), nz(since), entries, trail.ok() ? null : trail.message(),
                publish, conservation);
    }

    /** publish-service's own record of decisions: held-run approvals/rejections and rollbacks of Silver. */
    private List<Entry> publishDecisions(ConsoleSession who, String actor, String action, String batch) {
        List<Entry> entries = new ArrayList<>();
        Reply held = services.get(who, LakeService.PUBLISH, "/operator/held-runs");
        if (held.ok()) {
            for (JsonNode h : held.body()) {
                JsonNode d = h.path("decision");
                if (d.isObject()) {
                    entries.add(new Entry(Json.text(d, "decided_at"), Json.text(d, "decided_by"), "finance-controller",
                            "HELD_RUN_" + Json.text(h, "status"), "held run", Json.text(h, "run_id"), Json.text(d, "reason"), ""));
                }
            }
        }
        Reply versions = services.get(who, LakeService.PUBLISH, "/operator/tables/silver.mortgages.transactions/versions");
        if (versions.ok()) {
            for (JsonNode v : versions.body()) {
                if ("ROLLBACK".equals(Json.text(v, "operation"))) {
                    JsonNode p = v.path("properties");
                    entries.add(new Entry(Json.text(v, "committed_at"), Json.text(p, "requested_by"), "finance-controller", "ROLLBACK",
                            "silver.mortgages.transactions version " + Json.text(v, "version"), "", Json.text(p, "reason"),
                            Json.counts(p)));
                }
            }
        }
        entries.removeIf(e -> (actor != null && !actor.isBlank() && !actor.equals(e.actor()))
                || (action != null && !action.isBlank() && !e.action().contains(action))
                || (batch != null && !batch.isBlank() && !batch.equals(e.batch())));
        entries.sort(java.util.Comparator.comparing(Entry::at).reversed());
        return entries;
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.append('&').append(name).append('=').append(LakeServices.query(value.strip()));
        }
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
