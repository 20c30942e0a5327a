package dev.mortgagelake.service.console.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mortgagelake.service.console.Forms;
import dev.mortgagelake.service.console.Json;
import dev.mortgagelake.service.console.backend.LakeService;
import dev.mortgagelake.service.console.backend.LakeServices;
import dev.mortgagelake.service.console.backend.Reply;
import dev.mortgagelake.service.console.session.ConsoleSession;
import dev.mortgagelake.service.console.session.CurrentSession;
import dev.mortgagelake.service.console.session.Notice;
import dev.mortgagelake.service.console.session.Viewer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tables: Silver and the Gold tables with their newest version and {@code _LATEST.json}; a table's
 * history (what each version changed, who rolled back and why); rollback of Silver to an earlier version
 * with an explicit confirmation and a reason, carried out by publish-service (Gold follows Silver).
 */
@Path("/tables")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class TablesPage {

    static final String SILVER = "silver.mortgages.transactions";

    @CheckedTemplate(basePath = "tables", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance list(Viewer viewer, List<Table> tables, String problem);

        static native TemplateInstance table(Viewer viewer, Table table, List<Version> versions, boolean rollback, String problem);
    }

    /** A table and its publish authority. */
    @TemplateData
    public record Table(String name, String location, String currentPrefix, String schemaVersion, long latestVersion, String latest,
                        String latestRunId, String publishedAt) {
    }

    /** One version of a table's history. */
    @TemplateData
    public record Version(long version, String parent, String committedAt, String operation, String runIds, String summary,
                          String properties, boolean canRollBackTo, boolean current) {
    }

    @Inject
    LakeServices services;

    @Inject
    CurrentSession session;

    @Inject
    ObjectMapper json;

    @GET
    public TemplateInstance list() {
        ConsoleSession who = session.get();
        Reply reply = services.get(who, LakeService.PUBLISH, "/operator/tables");
        List<Table> tables = new ArrayList<>();
        if (reply.ok()) {
            reply.body().forEach(t -> tables.add(table(t)));
        }
        return Templates.list(who.viewer(), tables, reply.ok() ? null : reply.message());
    }

    @GET
    @Path("/{table}")
    public TemplateInstance table(@PathParam("table") String name) {
        ConsoleSession who = session.get();
        String id = LakeServices.segment(name);
        Reply tables = services.get(who, LakeService.PUBLISH, "/operator/tables");
        Table table = null;
        if (tables.ok()) {
            for (JsonNode t : tables.body()) {
                if (id.equals(Json.text(t, "name"))) {
                    table = table(t);
                }
            }
        }
        if (tables.ok() && table == null) {
            throw new NotFoundException("No table " + id);
        }
        Reply history = services.get(who, LakeService.PUBLISH, "/operator/tables/" + id + "/versions");
        List<Version> versions = new ArrayList<>();
        long latest = table == null ? 0 : table.latestVersion();
        boolean silver = SILVER.equals(id);
        if (history.ok()) {
            for (JsonNode v : history.body()) {
                long version = Json.number(v, "version");
                Map<String, String> summary = new LinkedHashMap<>();
                Json.entries(v.path("summary")).forEach(e -> {
                    if (!e.getValue().isNull() && !e.getValue().isContainerNode()) {
                        summary.put(e.getKey(), e.getValue().asText());
                    } else if (e.getValue().isContainerNode() && e.getValue().size() > 0) {
                        summary.put(e.getKey(), e.getValue().toString());
                    }
                });
                Map<String, String> properties = new LinkedHashMap<>();
                Json.entries(v.path("properties")).forEach(e -> properties.put(e.getKey(), e.getValue().asText()));
                versions.add(new Version(version, Json.text(v, "parent_version"), Json.text(v, "committed_at"), Json.text(v, "operation"),
                        String.join(", ", Json.strings(v.path("run_ids"))), join(summary), join(properties),
                        silver && version < latest, version == latest));
            }
            java.util.Collections.reverse(versions);
        }
        String problem = !tables.ok() ? tables.message() : history.ok() ? null : history.message();
        return Templates.table(who.viewer(), table, versions, silver, problem);
    }

    @POST
    @Path("/{table}/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rollback(@PathParam("table") String name, @FormParam("to_version") Long toVersion,
                             @FormParam("expected_version") Long expectedVersion, @FormParam("reason") String reason,
                             @FormParam("confirm") String confirm, @FormParam("csrf") String csrf) {
        ConsoleSession who = session.get();
        Forms.requireCsrf(who, csrf);
        String id = LakeServices.segment(name);
        String back = "/tables/" + id;
        if (!"yes".equals(confirm)) {
            who.notice(Notice.error("Rollback not confirmed", "Tick the confirmation: a rollback makes the chosen version current for every reader."));
            return Forms.seeOther(back);
        }
        if (toVersion == null || expectedVersion == null) {
            who.notice(Notice.error("Choose a version", "Pick the version to roll back to."));
            return Forms.seeOther(back);
        }
        if (!Forms.hasReason(who, reason, back)) {
            return Forms.seeOther(back);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("to_version", toVersion);
        body.put("expected_version", expectedVersion);
        body.put("reason", reason.strip());
        Reply reply = services.post(who, LakeService.PUBLISH, "/operator/tables/" + id + "/rollback", body);
        return Forms.report(who, reply, "Roll " + id + " back to version " + toVersion,
                r -> "Version " + Json.text(r.body(), "version") + " (ROLLBACK) now points at the data of version " + toVersion
                        + "; Gold is recomputed from it.", back);
    }

    private Table table(JsonNode t) {
        JsonNode pointer = t.path("pointer");
        String latest;
        try {
            latest = pointer.isObject() ? json.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(pointer) : "";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            latest = pointer.toString();
        }
        return new Table(Json.text(t, "name"), "s3://" + Json.text(t, "bucket") + "/" + Json.text(t, "table_root"),
                Json.text(t, "current_prefix"), Json.text(t, "schema_version"), Json.number(t, "latest_version"), latest,
                Json.text(pointer, "run_id"), Json.text(pointer, "published_at"));
    }

    private static String join(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" · ", parts);
    }
}
