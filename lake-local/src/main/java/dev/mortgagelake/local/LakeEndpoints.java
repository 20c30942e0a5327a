package dev.mortgagelake.local;

import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.topology.LakeTopology;

import java.net.URI;
import java.util.Map;

/**
 * Where a running local lake is: the S3 and SQS endpoints, the credentials they accept, the
 * buckets and queues, each service's URL, and the Iceberg catalog an analyst's engine opens to query
 * the published tables. {@code ./lake up} writes it to {@code .lake/endpoints.json}
 * (and as shell exports to {@code .lake/env}); {@code ./lake land} reads it.
 */
public record LakeEndpoints(
        URI s3,
        URI sqs,
        String region,
        String accessKeyId,
        String secretAccessKey,
        LakeBuckets buckets,
        LakeTopology.QueueNames queues,
        String landingPrefix,
        Map<String, URI> services,
        IcebergCatalog iceberg) {

    public LakeEndpoints {
        services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
    }

    /**
     * The Iceberg catalog of the published Silver and Gold tables.
     *
     * @param namespace  the namespace of the tables ({@code mortgage_lake.silver_transactions}, ...)
     * @param properties Iceberg catalog properties that open it (catalog-impl, uri, warehouse, io-impl,
     *                   s3.endpoint, credentials): give them to Spark as {@code spark.sql.catalog.<name>.<key>}
     */
    public record IcebergCatalog(String namespace, Map<String, String> properties) {
        public IcebergCatalog {
            properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
        }
    }

    /** The same endpoints with {@code service} at {@code url} (after a restart on another port). */
    public LakeEndpoints withService(String service, URI url) {
        Map<String, URI> updated = new java.util.LinkedHashMap<>(services);
        updated.put(service, url);
        return new LakeEndpoints(s3, sqs, region, accessKeyId, secretAccessKey, buckets, queues, landingPrefix, updated, iceberg);
    }
}
