package dev.mortgagelake.service.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.service.console.Json;
import dev.mortgagelake.service.console.backend.Reply;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's validation report: rows by outcome, error codes with counts and an example each, the
 * quarantined and condemned rows (paged, original values, every reason, attempt and history),
 * partitions, checksums and lineage.
 */
@TemplateData
public record RunReport(RunRow run, String validatedAt, String promotedAt, String inputSha256, String schemaVersion,
                        String quarantineFile, String condemnedFile, List<Partition> partitions, List<ErrorCode> errorCodes,
                        List<String> lineage, String batchState, String nextAttempt, String retriedBy, Rows rows,
                        String condemnedState, Rows condemned, String condemnedReasons, String record) {

    /** One Silver partition the run wrote. */
    @TemplateData
    public record Partition(String month, long rows, String manifest) {
    }

    /** An error code with its count and the first example on the page. */
    @TemplateData
    public record ErrorCode(String code, long count, String example) {
    }

    /** A quarantined or condemned row as stored: values exactly as they arrived. */
    @TemplateData
    public record Row(long line, List<String> values, String raw, String error, String codes, int attempt, List<String> history,
                      String runId) {
    }

    /** A page of rows, or why there is none. */
    @TemplateData
    public record Rows(List<Row> rows, String problem, long offset, long previous, long next, boolean shown) {

        static Rows none() {
            return new Rows(List.of(), null, 0, -1, -1, false);
        }
    }

    static RunReport of(Reply runReply, Reply batch, Reply rowsReply, long offset, Reply condemnedBatch, Reply condemnedReply,
                        long condemnedOffset, int pageSize) {
        JsonNode run = runReply.body();
        JsonNode validation = run.path("validation");
        List<Partition> partitions = new ArrayList<>();
        validation.path("partitions").forEach(p -> partitions.add(new Partition(Json.text(p, "year_month"), Json.number(p, "rows"),
                Json.location(p.path("manifest")))));
        Rows rows = rowsReply == null ? Rows.none() : rows(rowsReply, offset, pageSize);
        Rows condemned = condemnedReply == null ? Rows.none() : rows(condemnedReply, condemnedOffset, pageSize);
        Map<String, String> examples = new LinkedHashMap<>();
        for (Row row : rows.rows()) {
            for (String code : row.codes().split(", ")) {
                examples.putIfAbsent(code, row.raw());
            }
        }
        List<ErrorCode> codes = new ArrayList<>();
        Json.entries(validation.path("quarantine").path("error_counts")).forEach(e -> codes.add(new ErrorCode(e.getKey(),
                e.getValue().asLong(), examples.getOrDefault(e.getKey(), ""))));
        List<String> lineage = new ArrayList<>();
        JsonNode retry = validation.path("retry");
        if (retry.isObject()) {
            lineage.add("Attempt " + retry.path("attempt").asInt() + " of " + Json.text(retry, "batch_kind").toLowerCase() + " batch "
                    + Json.text(retry, "batch_run_id") + " (" + Json.text(retry, "reason") + ")");
            if (!Json.text(retry, "request_id").isBlank()) {
                lineage.add("Approved request " + Json.text(retry, "request_id"));
            }
            if (!Json.location(retry.path("retried_rows")).isBlank()) {
                lineage.add("Rows re-validated: " + Json.location(retry.path("retried_rows")));
            }
        }
        validation.path("supersedes").forEach(s -> lineage.add("Supersedes run " + s.asText()));
        String state = "";
        String next = "";
        String retriedBy = "";
        if (batch != null && batch.ok()) {
            state = Json.text(batch.body(), "state");
            next = Json.text(batch.body(), "next_attempt_due_at");
            retriedBy = Json.text(batch.body(), "retried_by");
        }
        String condemnedState = condemnedBatch != null && condemnedBatch.ok() ? Json.text(condemnedBatch.body(), "state") : "";
        return new RunReport(RunRow.of(run), Json.text(validation, "validated_at"), Json.text(run, "promoted_at"),
                Json.text(validation, "input_sha256"), Json.text(validation, "schema_version"),
                Json.location(validation.path("quarantine").path("location")), Json.location(validation.path("condemned").path("location")),
                partitions, codes, lineage, state, next, retriedBy, rows, condemnedState, condemned,
                Json.counts(validation.path("condemned").path("reason_counts")), run.toPrettyString());
    }

    private static Rows rows(Reply reply, long offset, int pageSize) {
        if (!reply.ok()) {
            return new Rows(List.of(), reply.message(), offset, -1, -1, true);
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode row : reply.body()) {
            List<String> history = new ArrayList<>();
            for (JsonNode attempt : row.path("retry_history")) {
                history.add("attempt " + attempt.path("attempt").asInt() + " at " + Json.text(attempt, "attempted_at") + " in run "
                        + Json.text(attempt, "run_id") + ": " + String.join(", ", Json.strings(attempt.path("error_codes"))));
            }
            rows.add(new Row(Json.number(row, "source_line"), Json.strings(row.path("values")), Json.text(row, "raw_record"),
                    Json.text(row, "validation_error"), String.join(", ", Json.strings(row.path("error_codes"))),
                    row.path("attempt_count").asInt(), history, Json.text(row, "run_id")));
        }
        long previous = offset == 0 ? -1 : Math.max(0, offset - pageSize);
        long next = rows.size() == pageSize ? offset + pageSize : -1;
        return new Rows(rows, null, offset, previous, next, true);
    }
}
