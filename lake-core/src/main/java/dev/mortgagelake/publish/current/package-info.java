/**
 * The {@code current/} prefix of a table: a plain copy of the files of the newest version, for SQL
 * engines that read a directory rather than a snapshot document ({@link dev.mortgagelake.publish.current.CurrentMirror}),
 * and the reconciliation that keeps {@code current/} and {@code _LATEST.json} following the version
 * log ({@link dev.mortgagelake.publish.current.CurrentReconciler}). Generic over the table: Silver and
 * every Gold dataset use the same mechanism with their own {@link dev.mortgagelake.publish.current.CurrentLayout}.
 */
package dev.mortgagelake.publish.current;
