package dev.mortgagelake.iceberg;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Iceberg catalog properties for the lake's two settings. Services take any Iceberg catalog
 * properties from configuration; these are the ones the local lake, the tests and the deployment use.
 * They describe the tables (catalog, warehouse, storage endpoint), never a process's own choices such
 * as its HTTP client, so an engine can be given them as they are (see {@link IcebergCatalogTables#open}).
 */
public final class IcebergCatalogProperties {

    /** The embedded catalog's name. */
    public static final String LOCAL_CATALOG = "lake";

    private IcebergCatalogProperties() {
    }

    /**
     * The embedded default: Iceberg's {@code JdbcCatalog} on the SQLite file {@code database} (no server
     * process; readers in other processes open the same file), S3FileIO against {@code s3Endpoint}.
     *
     * @param warehouse where tables without an explicit location would go, e.g. {@code s3://lake-silver/_iceberg}
     */
    public static Map<String, String> embedded(Path database, String warehouse, URI s3Endpoint, String region, String accessKeyId,
                                               String secretAccessKey) {
        Map<String, String> properties = jdbc(sqliteUri(database), warehouse);
        properties.putAll(s3FileIo(s3Endpoint, region, accessKeyId, secretAccessKey));
        return properties;
    }

    /** The JDBC URL of the embedded catalog in the SQLite file {@code database}. */
    public static String sqliteUri(Path database) {
        return "jdbc:sqlite:" + database.toAbsolutePath();
    }

    /** Iceberg's {@code JdbcCatalog} on {@code uri}, with S3FileIO (its endpoint and credentials still to be added). */
    public static Map<String, String> jdbc(String uri, String warehouse) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
        properties.put("uri", Objects.requireNonNull(uri, "uri"));
        // several processes share an SQLite file: wait for its lock instead of failing at once
        properties.put("jdbc.busy_timeout", "10000");
        properties.put("warehouse", Objects.requireNonNull(warehouse, "warehouse"));
        properties.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        return properties;
    }

    /** In AWS: the Glue catalog, S3FileIO with the default credentials chain. */
    public static Map<String, String> glue(String warehouse) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("catalog-impl", "org.apache.iceberg.aws.glue.GlueCatalog");
        properties.put("warehouse", Objects.requireNonNull(warehouse, "warehouse"));
        properties.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        return properties;
    }

    /** S3FileIO against an S3-protocol endpoint with static credentials and path-style access. */
    public static Map<String, String> s3FileIo(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
        properties.put("s3.endpoint", endpoint.toString());
        properties.put("s3.path-style-access", "true");
        properties.put("s3.access-key-id", accessKeyId);
        properties.put("s3.secret-access-key", secretAccessKey);
        properties.put("client.region", region);
        return properties;
    }
}
