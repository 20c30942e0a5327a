/**
 * Publishing: promotion of validated runs into versioned tables. {@link dev.mortgagelake.publish.RunPromotion}
 * decides PROMOTED or HELD for a run; {@code .check} holds the promotion checks and {@code .table}
 * the versioned table machinery (snapshots, version log, committer, {@code _LATEST.json}).
 */
package dev.mortgagelake.publish;
