package dev.mortgagelake.publish.check;

import java.util.List;
import java.util.Map;

/**
 * A tolerant reading of a Silver partition's {@code manifest.json}:
 * <pre>
 * {"run_id":..,"schema_version":"v1","year_month":"2026-01","rows":1234,
 *  "files":[{"key":..,"size_bytes":..,"sha256":..,"rows":..}],
 *  "input":{"key":..,"sha256":..},"created_at":..,"totals":{..}}
 * </pre>
 * Unknown fields are ignored and every field is optional here, so that a missing one is reported by
 * the checks as a reason instead of failing the parse. Only {@code run_id}, {@code year_month},
 * {@code rows} and {@code files} are required by the checks.
 */
public record PartitionManifest(
        String runId,
        String schemaVersion,
        String yearMonth,
        Long rows,
        List<ManifestFile> files,
        Input input,
        String createdAt,
        Map<String, Object> totals) {

    public PartitionManifest {
        files = files == null ? null : List.copyOf(files);
    }

    /** One data file as the manifest lists it; the key is in the manifest's bucket. */
    public record ManifestFile(String key, Long sizeBytes, String sha256, Long rows) {
    }

    /** The Bronze input the partition was derived from. */
    public record Input(String key, String sha256) {
    }
}
