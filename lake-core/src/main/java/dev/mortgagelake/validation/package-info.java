/**
 * Validation of Bronze runs against the transaction contract: the domain behind validation-service
 * and the offline validate command. No Quarkus, no AWS: everything goes through
 * {@link dev.mortgagelake.storage.ObjectStore} and {@link dev.mortgagelake.layout.LakeLayout}.
 *
 * <p>Entry point: {@link dev.mortgagelake.validation.RunValidator#validate}, from a
 * {@code file-landed} payload to a {@code run-validated} payload. Its Javadoc states the guarantees
 * (rows in = rows out, commit order, idempotency, bounded memory).
 *
 * <p>Sub-packages:
 * <ul>
 *   <li>{@code contract}: contract v1 columns, header mapping, row rules and their stable codes
 *       ({@link dev.mortgagelake.validation.contract.RowErrorCode}), exact value parsing, the currency
 *       allow-list port;</li>
 *   <li>{@code silver}: the Silver v1 Parquet schema and the partitioned staging writer;</li>
 *   <li>{@code quarantine}: the quarantine Parquet schema and its staging writer;</li>
 *   <li>{@code parquet}: Hadoop-free parquet-avro writing (configuration, codec factory, hashing output file);</li>
 *   <li>{@code sample}: the seeded sample file generator for demos and system tests.</li>
 * </ul>
 * File-level faults have their own stable codes: {@link dev.mortgagelake.validation.FileRejectionCode}.
 * The partition manifest lives in {@link dev.mortgagelake.manifest} because publish reads it too.
 */
package dev.mortgagelake.validation;
