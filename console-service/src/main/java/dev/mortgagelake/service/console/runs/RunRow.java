package dev.mortgagelake.service.console.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.service.console.Json;
import io.quarkus.qute.TemplateData;

import java.math.BigDecimal;

/** One line of the Runs page, from publish-service's {@code /operator/runs}. */
@TemplateData
public record RunRow(String runId, String kind, String ingestDate, String createdAt, String outcome, String publication, long read,
                     long silver, long quarantined, long condemned, BigDecimal rateValue, String rate, String drift,
                     String landedToValidated, String validatedToPromoted, String bronze, String tableVersion, String errors,
                     String fileRejection) {

    static RunRow of(JsonNode run) {
        JsonNode validation = run.path("validation");
        JsonNode counts = validation.path("counts");
        BigDecimal rate = run.path("quarantine_rate").isNumber() ? run.path("quarantine_rate").decimalValue() : BigDecimal.ZERO;
        JsonNode drift = validation.path("drift");
        StringBuilder driftText = new StringBuilder();
        if (drift.path("unknown_columns").size() > 0) {
            driftText.append("unknown: ").append(String.join(", ", Json.strings(drift.path("unknown_columns"))));
        }
        if (drift.path("missing_columns").size() > 0) {
            driftText.append(driftText.isEmpty() ? "" : "; ").append("missing: ")
                    .append(String.join(", ", Json.strings(drift.path("missing_columns"))));
        }
        JsonNode rejection = validation.path("file_rejection");
        return new RunRow(Json.text(run, "run_id"), Json.text(run, "run_kind"), Json.text(validation, "ingest_date"),
                Json.text(run, "created_at"), Json.text(run, "outcome"), Json.text(run, "publication"),
                Json.number(counts, "rows_read"), Json.number(counts, "silver"), Json.number(counts, "quarantined"),
                Json.number(counts, "condemned"), rate, Json.percent(rate), driftText.toString(),
                millis(run.path("landed_to_validated")), millis(run.path("validated_to_promoted")), Json.location(validation.path("bronze")),
                Json.text(run, "table_version"), Json.counts(validation.path("quarantine").path("error_counts")),
                rejection.isObject() ? Json.text(rejection, "code") + ": " + Json.text(rejection, "message") : "");
    }

    private static String millis(JsonNode value) {
        return value.isNumber() ? value.asLong() + " ms" : "";
    }

    /** True when the run matches the page's filters (blank filters match everything). */
    boolean matches(String date, String outcome, String kind) {
        return (blank(date) || ingestDate.equals(date) || createdAt.startsWith(date))
                && (blank(outcome) || publication.equalsIgnoreCase(outcome) || this.outcome.equalsIgnoreCase(outcome))
                && (blank(kind) || this.kind.equalsIgnoreCase(kind));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
