package dev.mortgagelake.service.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.service.console.backend.LakeService;
import dev.mortgagelake.service.console.backend.LakeServices;
import dev.mortgagelake.service.console.backend.Reply;
import dev.mortgagelake.service.console.session.CurrentSession;
import dev.mortgagelake.service.console.session.Viewer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs: every validated run with its outcome, counts, quarantine rate, drift, durations and where its
 * data is, filterable by date, outcome and kind, with two charts (rows and quarantine rate per run;
 * error codes per day); and one run's validation report.
 */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class RunsPage {

    static final int ROWS_PER_PAGE = 50;

    @CheckedTemplate(basePath = "runs", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance list(Viewer viewer, List<RunRow> runs, int total, String date, String outcome, String kind,
                                            List<String> outcomes, List<String> kinds, String runsChart, String errorsChart,
                                            String problem);

        static native TemplateInstance report(Viewer viewer, RunReport report);
    }

    @Inject
    LakeServices services;

    @Inject
    CurrentSession session;

    @Inject
    ObjectMapper json;

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/runs")).build();
    }

    @GET
    @Path("runs")
    public TemplateInstance runs(@QueryParam("date") String date, @QueryParam("outcome") String outcome, @QueryParam("kind") String kind) {
        Reply reply = services.get(session.get(), LakeService.PUBLISH, "/operator/runs?limit=1000");
        List<RunRow> all = new ArrayList<>();
        if (reply.ok()) {
            reply.body().forEach(run -> all.add(RunRow.of(run)));
        }
        List<RunRow> shown = all.stream().filter(r -> r.matches(date, outcome, kind)).toList();
        TreeSet<String> outcomes = new TreeSet<>();
        TreeSet<String> kinds = new TreeSet<>();
        all.forEach(r -> {
            outcomes.add(r.publication());
            kinds.add(r.kind());
        });
        return Templates.list(session.get().viewer(), shown, all.size(), nz(date), nz(outcome), nz(kind), List.copyOf(outcomes),
                List.copyOf(kinds), runsChart(shown), errorsChart(shown), reply.ok() ? null : reply.message());
    }

    @GET
    @Path("runs/{runId}")
    public TemplateInstance report(@PathParam("runId") String runId, @QueryParam("offset") @DefaultValue("0") long offset,
                                   @QueryParam("condemned_offset") @DefaultValue("0") long condemnedOffset) {
        String id = LakeServices.segment(runId);
        Reply run = services.get(session.get(), LakeService.PUBLISH, "/operator/runs/" + id);
        if (run.status() == 404) {
            throw new jakarta.ws.rs.NotFoundException("No validated run " + id);
        }
        long from = Math.max(0, offset);
        long condemnedFrom = Math.max(0, condemnedOffset);
        JsonNode validation = run.body().path("validation");
        Reply rows = null;
        Reply batch = null;
        if (validation.path("counts").path("quarantined").asLong() > 0 || validation.path("file_rejection").isObject()) {
            batch = services.get(session.get(), LakeService.RETRY, "/quarantine/batches/" + id);
            if (validation.path("counts").path("quarantined").asLong() > 0) {
                rows = services.get(session.get(), LakeService.RETRY, "/quarantine/batches/" + id + "/rows?offset=" + from + "&limit="
                        + ROWS_PER_PAGE);
            }
        }
        Reply condemned = null;
        Reply condemnedBatch = null;
        if (validation.path("counts").path("condemned").asLong() > 0) {
            condemnedBatch = services.get(session.get(), LakeService.RETRY, "/quarantine/condemned/" + id);
            condemned = services.get(session.get(), LakeService.RETRY, "/quarantine/condemned/" + id + "/rows?offset=" + condemnedFrom
                    + "&limit=" + ROWS_PER_PAGE);
        }
        return Templates.report(session.get().viewer(), RunReport.of(run, batch, rows, from, condemnedBatch, condemned, condemnedFrom,
                ROWS_PER_PAGE));
    }

    /** Rows by outcome and the quarantine rate per run, oldest first (ECharts reads it from a data attribute). */
    private String runsChart(List<RunRow> runs) {
        List<RunRow> ordered = runs.stream().sorted(Comparator.comparing(RunRow::runId)).toList();
        ObjectNode chart = json.createObjectNode();
        ArrayNode labels = chart.putArray("runs");
        ArrayNode silver = chart.putArray("silver");
        ArrayNode quarantined = chart.putArray("quarantined");
        ArrayNode condemned = chart.putArray("condemned");
        ArrayNode rate = chart.putArray("rate");
        for (RunRow run : ordered) {
            labels.add(run.runId());
            silver.add(run.silver());
            quarantined.add(run.quarantined());
            condemned.add(run.condemned());
            rate.add(run.rateValue().movePointRight(2));
        }
        return chart.toString();
    }

    /** Quarantined rows per error code per ingest day. */
    private String errorsChart(List<RunRow> runs) {
        TreeMap<String, TreeMap<String, Long>> byCode = new TreeMap<>();
        TreeSet<String> days = new TreeSet<>();
        for (RunRow run : runs) {
            days.add(run.ingestDate());
        }
        for (RunRow run : runs) {
            if (run.errors().isBlank()) {
                continue;
            }
            for (String part : run.errors().split(" · ")) {
                int space = part.lastIndexOf(' ');
                String code = part.substring(0, space);
                long count = Long.parseLong(part.substring(space + 1));
                byCode.computeIfAbsent(code, c -> new TreeMap<>()).merge(run.ingestDate(), count, Long::sum);
            }
        }
        ObjectNode chart = json.createObjectNode();
        ArrayNode dayList = chart.putArray("days");
        days.forEach(dayList::add);
        ObjectNode codes = chart.putObject("codes");
        for (Map.Entry<String, TreeMap<String, Long>> code : byCode.entrySet()) {
            ArrayNode series = codes.putArray(code.getKey());
            days.forEach(day -> series.add(code.getValue().getOrDefault(day, 0L)));
        }
        return chart.toString();
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
