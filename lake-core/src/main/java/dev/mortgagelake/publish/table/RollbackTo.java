package dev.mortgagelake.publish.table;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Points the table back to the state of an earlier version, as a NEW version (operation
 * {@code ROLLBACK}); the history stays whole.
 *
 * <p>The next state is exactly {@code target}'s files. The runs the base has and the target has not
 * are retired ({@code run_ids} of the new version names them, and a redelivered
 * {@code run-validated} of one of them is never appended again); runs the target contains are
 * un-retired (rolling back over a backfill restores the runs it superseded). Properties:
 * {@code rollback_to_version}, {@code rolled_back_from_version}, {@code reason}, {@code requested_by}.
 *
 * <p>Optimistic: the change is computed against {@code expectedBase}, the version the operator
 * looked at. If another commit moved the table meanwhile, {@link #apply} throws
 * {@link CommitFailedException} rather than roll back a version nobody reviewed.
 */
public final class RollbackTo implements TableChange {

    private final TableSnapshot target;
    private final long expectedBase;
    private final String requestedBy;
    private final String reason;

    public RollbackTo(TableSnapshot target, long expectedBase, String requestedBy, String reason) {
        this.target = Objects.requireNonNull(target, "target");
        this.requestedBy = Objects.requireNonNull(requestedBy, "requestedBy");
        this.reason = Objects.requireNonNull(reason, "reason");
        if (target.version() < 1 || target.version() >= expectedBase) {
            throw new IllegalArgumentException("Can only roll back to an earlier committed version: " + target.version()
                    + " is not in [1, " + (expectedBase - 1) + "]");
        }
        this.expectedBase = expectedBase;
    }

    @Override
    public Optional<ProposedSnapshot> apply(TableSnapshot base) {
        if (base.version() != expectedBase) {
            throw new CommitFailedException("Cannot roll back to version " + target.version() + ": the table moved from version "
                    + expectedBase + " to " + base.version() + " meanwhile; review the history and ask again", null);
        }
        TreeSet<String> removed = new TreeSet<>(base.runs());
        removed.removeAll(target.runs());
        TreeSet<String> retired = new TreeSet<>(base.retiredRunIds());
        retired.removeAll(target.runs());
        retired.addAll(removed);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("rollback_to_version", Long.toString(target.version()));
        properties.put("rolled_back_from_version", Long.toString(base.version()));
        properties.put("requested_by", requestedBy);
        properties.put("reason", reason);
        return Optional.of(ProposedSnapshot.of(TableOperation.ROLLBACK, removed.stream().toList(), target.partitions(), retired, properties));
    }

    @Override
    public String toString() {
        return "roll back to version " + target.version() + " (from " + expectedBase + ")";
    }
}
