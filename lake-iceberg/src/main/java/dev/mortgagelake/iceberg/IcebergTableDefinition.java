package dev.mortgagelake.iceberg;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.catalog.TableIdentifier;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the Iceberg table that follows one lake table looks like.
 *
 * @param identifier  the table in the catalog, e.g. {@code mortgage_lake.silver_transactions}
 * @param schema      the Iceberg schema (field ids are assigned by the catalog when the table is created)
 * @param spec        the partition spec over {@code schema}
 * @param location    the table location: its {@code metadata/} goes below it; the data files stay
 *                    where the lake wrote them
 * @param bucket      the bucket of the lake table's data files ({@code DataFile.key()} is relative to it)
 * @param partition   the lake's partition name of a data file ({@code YYYY-MM}) to its Iceberg partition
 *                    tuple under {@code spec}
 * @param properties  table properties set when the table is created or adopted
 */
public record IcebergTableDefinition(
        TableIdentifier identifier,
        Schema schema,
        PartitionSpec spec,
        String location,
        String bucket,
        Function<String, StructLike> partition,
        Map<String, String> properties) {

    public IcebergTableDefinition {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(partition, "partition");
        properties = Map.copyOf(properties);
    }

    /** The URI of a data file of the lake table. */
    public String dataFileUri(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
