/**
 * Checks a validated run must pass before its Silver partitions may be promoted: outcome, balanced
 * counts, {@code _SUCCESS} markers, manifests, file sizes and checksums, row counts. Data problems
 * become readable {@link dev.mortgagelake.publish.check.CheckFailure}s, never exceptions.
 */
package dev.mortgagelake.publish.check;
