package dev.mortgagelake.gold;

import dev.mortgagelake.publish.table.TableSnapshot;

import java.time.YearMonth;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@link GoldPublisher#publish} did for one Silver version.
 *
 * @param status         what happened
 * @param silverVersion  the Silver table version Gold was asked to reflect
 * @param runId          the Gold run that wrote the new files (null unless PUBLISHED)
 * @param affectedMonths Silver months that changed since the version Gold was computed from (with the
 *                       months the caller named); empty unless PUBLISHED
 * @param datasets       per dataset: its current version after this call and what this call changed
 * @param silverRowsRead Silver rows this call read (the recomputed months only)
 * @param stateRowsRead  {@code account_balances} rows read as the previous month-end state
 */
public record GoldPublication(Status status, long silverVersion, String runId, SortedSet<YearMonth> affectedMonths,
                              Map<GoldDataset, Dataset> datasets, long silverRowsRead, long stateRowsRead) {

    public GoldPublication {
        Objects.requireNonNull(status, "status");
        affectedMonths = Collections.unmodifiableSortedSet(new TreeSet<>(affectedMonths));
        datasets = Collections.unmodifiableMap(new EnumMap<>(datasets));
    }

    public enum Status {
        /** At least one Gold table committed a version computed from {@code silverVersion}. */
        PUBLISHED,
        /** Every Gold table was already computed from {@code silverVersion}: nothing written. */
        UP_TO_DATE,
        /** A Gold table was already computed from a newer Silver version: nothing written (Gold never moves back). */
        SUPERSEDED
    }

    /**
     * One Gold table after the publish.
     *
     * @param snapshot  the table's current version (the new one when {@code committed})
     * @param committed true if this call committed {@code snapshot}
     * @param replaced  {@code as_of_month} partitions whose files this call replaced (or added)
     * @param removed   {@code as_of_month} partitions this call removed (months no longer in Silver, or now empty)
     */
    public record Dataset(TableSnapshot snapshot, boolean committed, SortedSet<String> replaced, SortedSet<String> removed) {

        public Dataset(TableSnapshot snapshot, boolean committed, java.util.Set<String> replaced, java.util.Set<String> removed) {
            this(snapshot, committed, new TreeSet<>(replaced), new TreeSet<>(removed));
        }

        public Dataset {
            Objects.requireNonNull(snapshot, "snapshot");
            replaced = Collections.unmodifiableSortedSet(new TreeSet<>(replaced));
            removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
        }
    }
}
