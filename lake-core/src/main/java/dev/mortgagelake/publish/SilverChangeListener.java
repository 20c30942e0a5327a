package dev.mortgagelake.publish;

import dev.mortgagelake.publish.table.TableSnapshot;

import java.util.Map;

/**
 * Told about every new version of the Silver table (APPEND, BACKFILL, ROLLBACK) after it was
 * committed and {@code current/} and {@code _LATEST.json} were reconciled: the hook for Gold, which
 * recomputes the months in {@code snapshot.summary().changedPartitions()} (and, because balances
 * carry forward, every later month) from the new Silver version. A rollback is handled the same
 * way: Gold is recomputed from the rolled-back Silver state, never rolled back itself.
 *
 * <p>Called best effort: an exception is logged and never undoes the commit. Implementations must
 * be idempotent (a redelivery may call them again for the same version) and must tolerate missed
 * calls (a crash after the commit): they reconcile from the version log, not from the call.
 *
 * <p>{@link dev.mortgagelake.publish.RunPromotion} calls {@link #committed} after each version it
 * commits (promotion, approval, backfill supersede, rollback) and again for the current version
 * when a redelivered run is already in the table (a catch-up of a missed call), then asks
 * {@link #derivedVersions} what to name in {@code run-promoted}.
 */
@FunctionalInterface
public interface SilverChangeListener {

    /** Does nothing. */
    SilverChangeListener NONE = snapshot -> { };

    void committed(TableSnapshot snapshot);

    /**
     * The versions of derived tables (dataset name to table version) computed from Silver version
     * {@code silverVersion} and published (pointer in place); named in {@code run-promoted}. Best
     * effort: empty by default and when unknown.
     */
    default Map<String, Long> derivedVersions(long silverVersion) {
        return Map.of();
    }
}
