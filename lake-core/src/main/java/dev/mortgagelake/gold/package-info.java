/**
 * Gold (F9): the three finance datasets computed from the one Silver table, exactly as defined in
 * the product brief ("Gold definitions", schema v1), recomputed only for the months a Silver version
 * changed.
 *
 * <p>Entry points: {@link dev.mortgagelake.gold.GoldCalculator} (pure computation from a month-end
 * state), {@link dev.mortgagelake.gold.GoldPublisher} (reads Silver, writes Gold Parquet, commits
 * one version per Gold table that records its Silver source version) and
 * {@link dev.mortgagelake.gold.GoldLineage} (one Silver version to one version of each Gold table).
 * Parquet schemas and I/O are in {@code dev.mortgagelake.gold.parquet}.
 */
package dev.mortgagelake.gold;
