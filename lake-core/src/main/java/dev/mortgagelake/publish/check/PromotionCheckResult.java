package dev.mortgagelake.publish.check;

import dev.mortgagelake.publish.table.DataFile;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The verdict on one run.
 *
 * @param runId    the run checked
 * @param failures every reason it cannot be promoted; empty means it passed
 * @param files    the verified data files by partition ({@code YYYY-MM}), with the size and SHA-256
 *                 as measured; what a promotion commits. Only complete when {@link #passed()}.
 */
public record PromotionCheckResult(String runId, List<CheckFailure> failures, SortedMap<String, List<DataFile>> files) {

    public PromotionCheckResult {
        failures = List.copyOf(failures);
        TreeMap<String, List<DataFile>> copy = new TreeMap<>();
        Objects.requireNonNull(files, "files").forEach((partition, list) -> copy.put(partition, List.copyOf(list)));
        files = Collections.unmodifiableSortedMap(copy);
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    /** Rows in the verified files. */
    public long rows() {
        return files.values().stream().flatMap(List::stream).mapToLong(DataFile::rows).sum();
    }

    /** True if some failure has {@code code}. */
    public boolean hasFailure(CheckCode code) {
        return failures.stream().anyMatch(failure -> failure.code() == code);
    }

    static PromotionCheckResult of(String runId, List<CheckFailure> failures, Map<String, List<DataFile>> files) {
        return new PromotionCheckResult(runId, failures, new TreeMap<>(files));
    }
}
