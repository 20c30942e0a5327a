/**
 * Iceberg tables that follow the lake's tables: every committed version of the Silver table and of
 * each Gold dataset is also an Iceberg snapshot over the same Parquet files, so any engine that reads
 * Iceberg (Athena, Spark, Trino, DuckDB, ...) sees exactly one published version at a time.
 *
 * <p>Entry points: {@link dev.mortgagelake.iceberg.IcebergCatalogTables} (opens the configured
 * catalog and hands out one {@link dev.mortgagelake.iceberg.IcebergFollower} per lake table) and
 * {@link dev.mortgagelake.iceberg.LakeIcebergTables} (what each Iceberg table looks like). No AWS or
 * Quarkus type is used here: the catalog and its FileIO are chosen by Iceberg catalog properties.
 */
package dev.mortgagelake.iceberg;
