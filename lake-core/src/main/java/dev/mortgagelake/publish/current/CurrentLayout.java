package dev.mortgagelake.publish.current;

import dev.mortgagelake.publish.table.DataFile;
import dev.mortgagelake.storage.Location;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a table's {@code current/} copy lives and how each data file of a snapshot is named in it.
 *
 * <p>Names: {@code <prefix><partition directory>/<run id>-<source file name>}, e.g.
 * <pre>
 * silver/mortgages/transactions/current/year=2026/month=01/20260121T120000123Z-3f9a1c2e-part-00000.parquet
 * gold/finance/account_balances/schema_v=v1/current/as_of_month=2026-01/20260201T000000000Z-0a1b2c3d-part-00000.parquet
 * </pre>
 * Invariants the mirror relies on: the name is a function of the source key alone (one source
 * file, one name; two source files never share a name, because the run id is in the name and a
 * run writes each file name once per partition) and data files are immutable, so an object that
 * exists under a name with the source's size holds the source's bytes. Layouts whose names are not
 * content-stable (a future naming without the run id) set {@code contentStable = false}, and the
 * mirror then compares SHA-256 instead of size.
 *
 * @param bucket             the bucket of the table's data files and of {@code current/}
 * @param prefix             the {@code current/} prefix, ending in {@code /}; the mirror deletes only below it
 * @param partitionDirectory snapshot partition name to its directory below the prefix (no slashes at either end)
 * @param contentStable      true if a name always denotes the same bytes (see above)
 */
public record CurrentLayout(String bucket, String prefix, Function<String, String> partitionDirectory, boolean contentStable) {

    public CurrentLayout {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(partitionDirectory, "partitionDirectory");
        if (prefix.isBlank() || prefix.startsWith("/") || !prefix.endsWith("/") || !prefix.contains("current")) {
            throw new IllegalArgumentException("A current/ prefix is relative, ends in '/' and names current: '" + prefix + "'");
        }
    }

    /** Silver: partition {@code YYYY-MM} in directory {@code year=YYYY/month=MM}. */
    public static CurrentLayout yearMonth(String bucket, String prefix) {
        return new CurrentLayout(bucket, prefix, CurrentLayout::yearMonthDirectory, true);
    }

    /** Gold and other single-column tables: partition {@code P} in directory {@code <column>=P}. */
    public static CurrentLayout column(String bucket, String prefix, String column) {
        Objects.requireNonNull(column, "column");
        return new CurrentLayout(bucket, prefix, partition -> column + "=" + partition, true);
    }

    /** The key of {@code file} (of {@code partition}) under {@code current/}. */
    public Location locate(String partition, DataFile file) {
        String key = file.key();
        String fileName = key.substring(key.lastIndexOf('/') + 1);
        return new Location(bucket, prefix + partitionDirectory.apply(partition) + "/" + file.runId() + "-" + fileName);
    }

    /** Where the source of {@code file} is (the table's data files are in this layout's bucket). */
    public Location source(DataFile file) {
        return new Location(bucket, file.key());
    }

    private static String yearMonthDirectory(String partition) {
        try {
            YearMonth month = YearMonth.parse(partition);
            return String.format("year=%04d/month=%02d", month.getYear(), month.getMonthValue());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a YYYY-MM partition: '" + partition + "'", e);
        }
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
