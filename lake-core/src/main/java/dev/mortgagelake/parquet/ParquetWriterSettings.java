package dev.mortgagelake.parquet;

/**
 * Tuning of one Parquet writer. Memory: a writer buffers its current row group (compressed pages
 * plus the page being filled) until the group reaches {@code rowGroupSizeBytes}, so the heap a run
 * needs is bounded by {@code open writers x rowGroupSizeBytes}.
 *
 * @param rowGroupSizeBytes target row-group size
 * @param pageSizeBytes     target page size
 */
public record ParquetWriterSettings(long rowGroupSizeBytes, int pageSizeBytes) {

    /**
     * 2 MiB row groups, 64 KiB pages. A run keeps one writer open per business month it meets (60 for
     * five years of data), and each writer holds up to a row group plus one page per column, so these
     * sizes keep the writers of a 60-month file within about 150 MB of heap whatever its row count
     * (measured by {@code ./lake bench} on 10M rows with {@code -Xmx512m}: 4 MiB row groups left the
     * heap so full that collections took much of a core).
     */
    public static final ParquetWriterSettings DEFAULT = new ParquetWriterSettings(2L * 1024 * 1024, 64 * 1024);

    public ParquetWriterSettings {
        if (rowGroupSizeBytes < 64 * 1024) {
            throw new IllegalArgumentException("rowGroupSizeBytes must be at least 64 KiB: " + rowGroupSizeBytes);
        }
        if (pageSizeBytes < 1024 || pageSizeBytes > rowGroupSizeBytes) {
            throw new IllegalArgumentException("pageSizeBytes must be between 1 KiB and the row-group size: " + pageSizeBytes);
        }
    }
}
