package dev.mortgagelake.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * What happened to a landed file, as {@code ./lake land} and {@code ./lake demo} print it (JSON,
 * snake_case; a stable interface documented in the README).
 *
 * @param outcome        {@code PROMOTED}, {@code HELD}, {@code FILE_REJECTED}, {@code DUPLICATE_CONTENT}
 *                       or {@code TIMED_OUT}
 * @param rows           rows read and rows per outcome ({@code read}, {@code silver}, {@code quarantined}, {@code condemned})
 * @param errorCounts    quarantined rows per error code
 * @param silver         the Silver partition directories the run wrote
 * @param latest         the Silver table's {@code _LATEST.json} after promotion (null otherwise)
 * @param detail         a readable explanation (held reasons, rejection reason, what timed out)
 */
public record RunOutcome(
        String runId,
        String outcome,
        String landing,
        String bronze,
        Map<String, Long> rows,
        Map<String, Long> errorCounts,
        List<String> silver,
        String quarantine,
        Long tableVersion,
        JsonNode latest,
        String detail) {
}
