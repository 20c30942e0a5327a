/**
 * Versioned tables on an object store, the Iceberg way: an immutable, contiguous log of whole-state
 * snapshots ({@code <root>_versions/v<20 digits>.json}) committed with create-once writes, and a
 * {@code _LATEST.json} pointer that follows the log.
 *
 * <p>Entry points: {@link dev.mortgagelake.publish.table.TableVersionLog} (read side),
 * {@link dev.mortgagelake.publish.table.TableCommitter} (the only writer of versions) and
 * {@link dev.mortgagelake.publish.table.LatestPointerWriter} (the pointer). Nothing here knows about
 * Silver or Gold: a table is a bucket and a root prefix; Silver and Gold tables share this code.
 */
package dev.mortgagelake.publish.table;
