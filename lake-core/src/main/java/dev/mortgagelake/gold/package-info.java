/**
 * Gold: the three finance datasets computed from the one Silver table (schema v1:
 * {@code account_balances} per account, currency and month, {@code monthly_reports} per currency and
 * month, {@code transaction_summaries} per currency and transaction type and month; columns on the
 * schema classes in {@code dev.mortgagelake.gold.parquet}), recomputed only for the months a Silver
 * version changed.
 *
 * <p>Entry points: {@link dev.mortgagelake.gold.GoldCalculator} (pure computation from a month-end
 * state), {@link dev.mortgagelake.gold.GoldPublisher} (reads Silver, writes Gold Parquet, commits
 * one version per Gold table that records its Silver source version) and
 * {@link dev.mortgagelake.gold.GoldLineage} (one Silver version to one version of each Gold table).
 * Parquet schemas and I/O are in {@code dev.mortgagelake.gold.parquet}.
 */
package dev.mortgagelake.gold;
