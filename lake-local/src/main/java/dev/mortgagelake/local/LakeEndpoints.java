package dev.mortgagelake.local;

import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.topology.LakeTopology;

import java.net.URI;
import java.util.Map;

/**
 * Where a running local lake is: the S3 and SQS endpoints, the credentials they accept, the
 * buckets and queues, and each service's URL. {@code ./lake up} writes it to {@code .lake/endpoints.json}
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
        Map<String, URI> services) {

    public LakeEndpoints {
        services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
    }
}
