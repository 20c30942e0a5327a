package dev.mortgagelake.publish;

import dev.mortgagelake.publish.table.TableSnapshot;

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
 */
@FunctionalInterface
public interface SilverChangeListener {

    /** Does nothing. */
    SilverChangeListener NONE = snapshot -> { };

    void committed(TableSnapshot snapshot);
}
