package dev.mortgagelake.iceberg;

import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.publish.table.CatalogTable;
import dev.mortgagelake.publish.table.CatalogTables;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

import java.io.Closeable;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lake's Iceberg catalog and one {@link IcebergFollower} per lake table.
 *
 * <p>The catalog is built by Iceberg from properties ({@link CatalogUtil#buildIcebergCatalog}), so the
 * same code runs against:
 * <ul>
 *   <li>the embedded default: {@code catalog-impl=org.apache.iceberg.jdbc.JdbcCatalog} with
 *       {@code uri=jdbc:sqlite:<file>} (no server process; every process that opens the file sees the
 *       same tables, SQLite serialises the commits) and {@code io-impl=org.apache.iceberg.aws.s3.S3FileIO}
 *       with {@code s3.endpoint} pointed at the local S3 server;</li>
 *   <li>AWS: {@code catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog}, {@code warehouse=s3://...},
 *       S3FileIO with the default credentials chain.</li>
 * </ul>
 */
public final class IcebergCatalogTables implements CatalogTables, Closeable {

    /** Iceberg's property choosing S3FileIO's HTTP client ({@code urlconnection} or {@code apache}). */
    static final String HTTP_CLIENT_TYPE = "http-client.type";

    private final Catalog catalog;
    private final LakeIcebergTables tables;
    private final Map<String, IcebergFollower> silver = new ConcurrentHashMap<>();
    private final Map<GoldDataset, IcebergFollower> gold = new EnumMap<>(GoldDataset.class);

    public IcebergCatalogTables(Catalog catalog, LakeIcebergTables tables) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.tables = Objects.requireNonNull(tables, "tables");
        for (GoldDataset dataset : GoldDataset.values()) {
            gold.put(dataset, new IcebergFollower(catalog, tables.gold(dataset)));
        }
    }

    /**
     * Opens the catalog named {@code name} from Iceberg catalog {@code properties} (they must name
     * {@code catalog-impl} or {@code type}). S3FileIO's HTTP client is the AWS SDK's URL-connection
     * client unless the properties choose one: the lake's processes ship that client only (an engine
     * like Spark with Iceberg's aws-bundle has the Apache client, Iceberg's own default).
     */
    public static IcebergCatalogTables open(String name, Map<String, String> properties, LakeLayout layout, String namespace) {
        if (!properties.containsKey(CatalogProperties.CATALOG_IMPL) && !properties.containsKey(CatalogUtil.ICEBERG_CATALOG_TYPE)) {
            throw new IllegalArgumentException("Iceberg catalog properties name neither " + CatalogProperties.CATALOG_IMPL + " nor "
                    + CatalogUtil.ICEBERG_CATALOG_TYPE + ": " + properties.keySet());
        }
        Map<String, String> withClient = new java.util.LinkedHashMap<>(properties);
        withClient.putIfAbsent(HTTP_CLIENT_TYPE, "urlconnection");
        Catalog catalog = CatalogUtil.buildIcebergCatalog(name, withClient, null);
        return new IcebergCatalogTables(catalog, new LakeIcebergTables(layout, namespace));
    }

    public Catalog catalog() {
        return catalog;
    }

    @Override
    public CatalogTable silver(String schemaVersion) {
        return silver.computeIfAbsent(schemaVersion, version -> new IcebergFollower(catalog, tables.silver(version)));
    }

    @Override
    public CatalogTable gold(GoldDataset dataset) {
        return gold.get(dataset);
    }

    @Override
    public void close() throws IOException {
        if (catalog instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
