package dev.mortgagelake.publish.table;

import java.util.Optional;

/**
 * A change to a table, expressed against a base state so that it can be re-applied when another
 * writer committed first (optimistic concurrency).
 *
 * <p>Contract: {@link #apply} is a pure function of {@code base} (no I/O, no side effects), because
 * {@link TableCommitter} calls it again on every fresh base after a lost race. It returns empty when
 * {@code base} already reflects the change (e.g. the run is already in the table): nothing is then
 * written, which is what makes redelivered commands idempotent.
 */
@FunctionalInterface
public interface TableChange {

    /**
     * @param base the current table state; {@link TableSnapshot#empty()} (version 0) for a new table
     * @return the whole next state, or empty when there is nothing to commit
     */
    Optional<ProposedSnapshot> apply(TableSnapshot base);
}
