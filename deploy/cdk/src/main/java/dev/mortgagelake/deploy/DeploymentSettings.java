package dev.mortgagelake.deploy;

import dev.mortgagelake.iceberg.LakeIcebergTables;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.topology.LakeTopology;
import software.constructs.Node;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What differs between accounts: bucket and queue names, images, Bronze's object-lock retention, the
 * number of NAT gateways and the Glue database. Everything has a default equal to the lake's own
 * defaults (each service's {@code application.properties}, {@link LakeTopology.QueueNames#defaults()}),
 * and every value can be overridden with CDK context ({@code -c key=value} or {@code cdk.json}):
 *
 * <pre>
 * lake.buckets.{landing,bronze,silver,gold,quarantine}   bucket names (globally unique in S3: override them)
 * lake.queues.{landing,file-landed,run-validated-publish,run-validated-retry,retry-due,run-promoted}
 * lake.landing-prefix          landing keys that are ingested (default incoming/)
 * lake.image-tag               tag pulled from the ECR repository mortgage-lake/&lt;service&gt; (default latest)
 * lake.image.&lt;service&gt;         full image URI for one service, instead of its ECR repository
 * lake.bronze-lock-days        default object-lock retention (GOVERNANCE) of Bronze objects, days
 * lake.nat-gateways            NAT gateways of the VPC (tasks pull images and reach AWS APIs through them)
 * lake.glue-database           Glue database of the Silver and Gold tables: the Iceberg tables publish-service
 *                              commits to (its Iceberg namespace) and the Hive-style audit and current/ tables
 * </pre>
 */
public record DeploymentSettings(LakeBuckets buckets, LakeTopology.QueueNames queues, String landingPrefix,
                                 String imageTag, Map<String, String> imageOverrides, int bronzeLockDays,
                                 int natGateways, String glueDatabase) {

    /** Seven years: the usual retention of financial records. */
    public static final int DEFAULT_BRONZE_LOCK_DAYS = 2555;

    public DeploymentSettings {
        Objects.requireNonNull(buckets, "buckets");
        Objects.requireNonNull(queues, "queues");
        if (landingPrefix.isEmpty() || !landingPrefix.endsWith("/")) {
            throw new IllegalArgumentException("lake.landing-prefix must end with '/': " + landingPrefix);
        }
        imageOverrides = Map.copyOf(imageOverrides);
        if (bronzeLockDays < 1) {
            throw new IllegalArgumentException("lake.bronze-lock-days must be >= 1: " + bronzeLockDays);
        }
        if (natGateways < 1) {
            throw new IllegalArgumentException("lake.nat-gateways must be >= 1 (tasks in private subnets need egress): " + natGateways);
        }
    }

    /** The lake's defaults: the names every service's {@code application.properties} uses. */
    public static DeploymentSettings defaults() {
        return new DeploymentSettings(
                new LakeBuckets("lake-landing", "lake-bronze", "lake-silver", "lake-gold", "lake-quarantine"),
                LakeTopology.QueueNames.defaults(), "incoming/", "latest", Map.of(), DEFAULT_BRONZE_LOCK_DAYS, 1,
                "mortgage_lake");
    }

    /** The defaults, overridden by whatever CDK context is set under {@code lake.}. */
    public static DeploymentSettings fromContext(Node node) {
        DeploymentSettings d = defaults();
        LakeBuckets b = d.buckets();
        LakeTopology.QueueNames q = d.queues();
        Map<String, String> images = new TreeMap<>();
        for (LakeServiceSpec service : LakeServiceSpec.values()) {
            context(node, "lake.image." + service.serviceName()).ifPresent(uri -> images.put(service.serviceName(), uri));
        }
        return new DeploymentSettings(
                new LakeBuckets(
                        context(node, "lake.buckets.landing").orElse(b.landing()),
                        context(node, "lake.buckets.bronze").orElse(b.bronze()),
                        context(node, "lake.buckets.silver").orElse(b.silver()),
                        context(node, "lake.buckets.gold").orElse(b.gold()),
                        context(node, "lake.buckets.quarantine").orElse(b.quarantine())),
                new LakeTopology.QueueNames(
                        context(node, "lake.queues.landing").orElse(q.landing()),
                        context(node, "lake.queues.file-landed").orElse(q.fileLanded()),
                        context(node, "lake.queues.run-validated-publish").orElse(q.runValidatedForPublish()),
                        context(node, "lake.queues.run-validated-retry").orElse(q.runValidatedForRetry()),
                        context(node, "lake.queues.retry-due").orElse(q.retryDue()),
                        context(node, "lake.queues.run-promoted").orElse(q.runPromoted())),
                context(node, "lake.landing-prefix").orElse(d.landingPrefix()),
                context(node, "lake.image-tag").orElse(d.imageTag()),
                images,
                context(node, "lake.bronze-lock-days").map(Integer::parseInt).orElse(d.bronzeLockDays()),
                context(node, "lake.nat-gateways").map(Integer::parseInt).orElse(d.natGateways()),
                context(node, "lake.glue-database").orElse(d.glueDatabase()));
    }

    /**
     * The Iceberg tables publish-service commits to, in the Glue database: the same definitions
     * (names, schemas, partition specs, locations, properties) its {@code IcebergFollower} creates or adopts.
     */
    public LakeIcebergTables icebergTables() {
        return new LakeIcebergTables(new LakeLayout(buckets), glueDatabase);
    }

    /**
     * publish-service's {@code lake.publish.iceberg.warehouse}: where the Glue catalog would put a table
     * created without a location. The lake's tables all have explicit locations beside their version logs
     * ({@code <table root>_iceberg}), so nothing is written here; it is the service's own default, stated.
     */
    public String icebergWarehouse() {
        return "s3://" + buckets.silver() + "/_iceberg-warehouse";
    }

    /** The topology the stack declares: the same {@link LakeTopology#standard} the embedded servers and LocalStack get. */
    public LakeTopology topology() {
        return LakeTopology.standard(buckets, queues, landingPrefix);
    }

    private static Optional<String> context(Node node, String key) {
        Object value = node.tryGetContext(key);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }
}
