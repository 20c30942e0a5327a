package dev.mortgagelake.publish.table;

import java.util.Objects;

/**
 * The outcome of {@link TableCommitter#commit}.
 *
 * @param snapshot  the committed version, or the current one when there was nothing to commit
 * @param committed true if this call created a new version; false if the change was already reflected
 * @param attempts  create attempts made (0 when there was nothing to commit on the first base)
 */
public record CommitResult(TableSnapshot snapshot, boolean committed, int attempts) {

    public CommitResult {
        Objects.requireNonNull(snapshot, "snapshot");
    }

    public long version() {
        return snapshot.version();
    }
}
