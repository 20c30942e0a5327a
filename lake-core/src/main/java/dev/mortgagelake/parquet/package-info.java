/**
 * The lake's Parquet plumbing, shared by validation (Silver, Quarantine) and Gold: Hadoop-free
 * writers (over parquet-avro or a table's own write support) and readers over parquet-avro
 * ({@link dev.mortgagelake.parquet.LakeParquet}), the snappy
 * codec without Hadoop ({@link dev.mortgagelake.parquet.SnappyCodecFactory}) and an output file that
 * hashes what it writes ({@link dev.mortgagelake.parquet.HashingOutputFile}).
 */
package dev.mortgagelake.parquet;
