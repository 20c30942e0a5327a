package dev.mortgagelake.publish.check;

import java.util.List;

/**
 * What the promotion checks read from a Silver partition's {@code manifest.json}. The document's
 * definition is {@link dev.mortgagelake.manifest.PartitionManifest}, whose constructor rejects an
 * inconsistent manifest; this reading is deliberately tolerant (every field optional, unknown fields
 * ignored) so that a damaged or inconsistent manifest becomes a named check failure instead of a
 * parse error.
 */
public record ManifestReading(String runId, String yearMonth, Long rows, List<ManifestFile> files) {

    public ManifestReading {
        files = files == null ? null : List.copyOf(files);
    }

    /** One data file as the manifest lists it; the key is in the manifest's bucket. */
    public record ManifestFile(String key, Long sizeBytes, String sha256, Long rows) {
    }
}
