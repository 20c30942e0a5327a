package dev.mortgagelake.publish.table;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.Location;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a table's control documents live: a bucket and a root prefix ending in {@code /}, e.g.
 * {@code silver/mortgages/transactions/_table/schema_v=v1/}.
 *
 * <pre>
 * &lt;root&gt;_versions/v00000000000000000001.json   immutable snapshot documents, one per version
 * &lt;root&gt;_LATEST.json                           the pointer that follows the newest version
 * &lt;root&gt;_held/...                              other control documents ({@link #controlDocument})
 * </pre>
 *
 * Version numbers are zero padded to 20 digits so that key order is version order.
 */
public record TableLocation(String bucket, String root) {

    /** The sub-prefix of the version log. */
    public static final String VERSIONS = "_versions/";

    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d{20})\\.json");

    public TableLocation {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(root, "root");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        if (root.isBlank() || root.startsWith("/") || !root.endsWith("/")) {
            throw new IllegalArgumentException("A table root is a relative prefix ending in '/': '" + root + "'");
        }
    }

    /** The prefix every version document is under. */
    public String versionsPrefix() {
        return root + VERSIONS;
    }

    /** The document of {@code version} (1, 2, ...). */
    public Location version(long version) {
        if (version < 1) {
            throw new IllegalArgumentException("Table versions start at 1, not " + version);
        }
        return new Location(bucket, versionsPrefix() + String.format("v%020d.json", version));
    }

    /** The version number a key of the version log names, or empty for any other key. */
    public OptionalLong versionOf(String key) {
        if (!key.startsWith(versionsPrefix())) {
            return OptionalLong.empty();
        }
        Matcher matcher = VERSION_FILE.matcher(key.substring(versionsPrefix().length()));
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        long version = Long.parseLong(matcher.group(1));
        return version < 1 ? OptionalLong.empty() : OptionalLong.of(version);
    }

    /** {@code <root>_LATEST.json}. */
    public Location latestPointer() {
        return new Location(bucket, root + LakeLayout.LATEST_POINTER);
    }

    /** Another control document of this table, {@code relativeKey} below the root. */
    public Location controlDocument(String relativeKey) {
        return new Location(bucket, root + relativeKey);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + root;
    }
}
