package dev.mortgagelake.contract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of a dataset contract: {@code v<schema>.<minor>}, e.g. {@code v1.0}. The schema part is
 * the lake's {@code schema_v} (the table, its paths, its Iceberg and Glue tables); minors of one
 * {@code schema_v} only ever add what old files and old readers can live with
 * ({@link ContractCompatibility}), so they share the table.
 *
 * @param schema the {@code schema_v} number (1 for {@code schema_v=v1})
 * @param minor  the minor version within the {@code schema_v}, from 0
 */
public record ContractVersion(int schema, int minor) implements Comparable<ContractVersion> {

    private static final Pattern TEXT = Pattern.compile("v([1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})");

    public ContractVersion {
        if (schema < 1 || minor < 0) {
            throw new IllegalArgumentException("Not a contract version: v" + schema + "." + minor);
        }
    }

    /** Parses {@code v<schema>.<minor>} (no leading zeros). */
    public static ContractVersion parse(String text) {
        Matcher matcher = TEXT.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a contract version: '" + text + "' (expected v<schema_v>.<minor>, e.g. v1.0)");
        }
        return new ContractVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /** The lake's {@code schema_v} value of this version: {@code v1} for {@code v1.3}. */
    public String schemaVersion() {
        return "v" + schema;
    }

    /** The first version of the next {@code schema_v}: where a breaking change goes. */
    public ContractVersion nextSchema() {
        return new ContractVersion(schema + 1, 0);
    }

    @Override
    public int compareTo(ContractVersion other) {
        int bySchema = Integer.compare(schema, other.schema);
        return bySchema != 0 ? bySchema : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return "v" + schema + "." + minor;
    }
}
