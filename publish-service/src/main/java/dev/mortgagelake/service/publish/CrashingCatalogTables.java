package dev.mortgagelake.service.publish;

import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.publish.table.CatalogSnapshot;
import dev.mortgagelake.publish.table.CatalogTable;
import dev.mortgagelake.publish.table.CatalogTables;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.publish.table.TableVersionLog;
import org.jboss.logging.Logger;

import java.util.Objects;
import java.util.Optional;

/**
 * Fault injection for the crash tests ({@code lake.publish.iceberg.crash-at}; never set in
 * production): the Silver table's first Iceberg commit (a version the Iceberg table does not hold yet)
 * halts the JVM with {@link Runtime#halt}, which
 * runs no shutdown hook and flushes nothing, as a SIGKILL or a lost Fargate task would.
 * <ul>
 *   <li>{@code before-commit}: the lake's Silver version and current/ are committed, the Iceberg
 *       snapshot is not, {@code _LATEST.json} has not moved;</li>
 *   <li>{@code after-commit}: the Iceberg snapshot is committed, {@code _LATEST.json} has not moved.</li>
 * </ul>
 * What must hold after a restart without it (CurrentReconciler's contract): the run's message is
 * redelivered, the lake's version stands, Iceberg gets exactly one snapshot of it, and
 * {@code _LATEST.json} names that version and that snapshot.
 */
final class CrashingCatalogTables implements CatalogTables {

    static final String BEFORE_COMMIT = "before-commit";
    static final String AFTER_COMMIT = "after-commit";
    /** Exit status of the halt: 128 + SIGKILL's 9, what a killed process reports. */
    static final int HALT_STATUS = 137;

    private static final Logger LOG = Logger.getLogger(CrashingCatalogTables.class);

    private final CatalogTables delegate;
    private final String step;

    CrashingCatalogTables(CatalogTables delegate, String step) {
        if (!BEFORE_COMMIT.equals(step) && !AFTER_COMMIT.equals(step)) {
            throw new IllegalArgumentException("lake.publish.iceberg.crash-at is '" + step + "'; it must be " + BEFORE_COMMIT + " or "
                    + AFTER_COMMIT + " (fault injection for crash tests; leave it unset)");
        }
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.step = step;
        LOG.warnf("FAULT INJECTION: this process halts at its first Silver Iceberg commit (%s)", step);
    }

    CatalogTables delegate() {
        return delegate;
    }

    @Override
    public CatalogTable silver(String schemaVersion) {
        CatalogTable table = delegate.silver(schemaVersion);
        return new CatalogTable() {
            @Override
            public Optional<CatalogSnapshot> follow(TableVersionLog log, TableSnapshot target) {
                if (table.snapshotOf(target.version()).isPresent()) {
                    // nothing to commit (the reconciler's periodic pass, a redelivery): not the step to crash at
                    return table.follow(log, target);
                }
                if (step.equals(BEFORE_COMMIT)) {
                    halt("before the Iceberg commit of Silver version " + target.version());
                }
                Optional<CatalogSnapshot> snapshot = table.follow(log, target);
                halt("after the Iceberg commit of Silver version " + target.version() + " (" + snapshot.orElse(null) + ")");
                return snapshot;
            }

            @Override
            public Optional<CatalogSnapshot> snapshotOf(long tableVersion) {
                return table.snapshotOf(tableVersion);
            }
        };
    }

    @Override
    public CatalogTable gold(GoldDataset dataset) {
        return delegate.gold(dataset);
    }

    private static void halt(String where) {
        LOG.errorf("FAULT INJECTION: halting %s", where);
        System.err.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }
}
