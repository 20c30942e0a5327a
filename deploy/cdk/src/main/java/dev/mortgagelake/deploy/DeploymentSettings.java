package dev.mortgagelake.deploy;

import dev.mortgagelake.iceberg.LakeIcebergTables;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.topology.LakeTopology;
import software.constructs.Node;

import java.util.List;
import java.util.Locale;
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
 * lake.service-namespace       private Cloud Map DNS namespace of the VPC (default lake.internal): ingest, retry
 *                              and publish are &lt;service&gt;.&lt;namespace&gt;:8080 in it
 * lake.console.oidc-issuer     OIDC issuer (https URL) people sign in at; set, the operator console is deployed
 *                              and the services accept its bearer tokens; unset, no console (see below)
 * lake.console.oidc-client-id  the console's client id at that provider (required with an issuer)
 * lake.console.oidc-secret-name  Secrets Manager secret holding the client secret as plain text (required with
 *                              an issuer); the task gets it as an ECS secret, never as plain environment
 * lake.console.certificate-arn ACM certificate of the console's HTTPS listener (required with an issuer)
 * lake.console.internet-facing true: the console's load balancer is internet-facing (default false: internal)
 * </pre>
 *
 * <p>The console is deployed only with an OIDC issuer: production never signs people in against the demo
 * users of {@code application.properties}. Without {@code lake.console.oidc-issuer} the stack has no console
 * and no load balancer; any other {@code lake.console.*} key without it is refused (a half-configured console
 * is a mistake, not a choice).
 */
public record DeploymentSettings(LakeBuckets buckets, LakeTopology.QueueNames queues, String landingPrefix,
                                 String imageTag, Map<String, String> imageOverrides, int bronzeLockDays,
                                 int natGateways, String glueDatabase, String serviceNamespace,
                                 Optional<ConsoleSettings> console) {

    /** Seven years: the usual retention of financial records. */
    public static final int DEFAULT_BRONZE_LOCK_DAYS = 2555;
    public static final String DEFAULT_SERVICE_NAMESPACE = "lake.internal";

    public static final String CONSOLE_OIDC_ISSUER = "lake.console.oidc-issuer";
    public static final String CONSOLE_OIDC_CLIENT_ID = "lake.console.oidc-client-id";
    public static final String CONSOLE_OIDC_SECRET_NAME = "lake.console.oidc-secret-name";
    public static final String CONSOLE_CERTIFICATE_ARN = "lake.console.certificate-arn";
    public static final String CONSOLE_INTERNET_FACING = "lake.console.internet-facing";

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
        if (!serviceNamespace.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new IllegalArgumentException("lake.service-namespace must be a DNS name with at least two labels, e.g. lake.internal: "
                    + serviceNamespace);
        }
        Objects.requireNonNull(console, "console");
    }

    /**
     * The operator console's deployment: who people sign in at, and how the load balancer in front of it
     * is reached. Present only with an OIDC issuer ({@link DeploymentSettings}).
     *
     * @param oidcSecretName name of the Secrets Manager secret whose value (plain text) is the client secret
     */
    public record ConsoleSettings(String oidcIssuer, String oidcClientId, String oidcSecretName, String certificateArn,
                                  boolean internetFacing) {

        public ConsoleSettings {
            if (!oidcIssuer.startsWith("https://")) {
                throw new IllegalArgumentException(CONSOLE_OIDC_ISSUER + " must be an https:// URL: " + oidcIssuer);
            }
            requireText(CONSOLE_OIDC_CLIENT_ID, oidcClientId);
            requireText(CONSOLE_OIDC_SECRET_NAME, oidcSecretName);
            if (!certificateArn.matches("arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+")) {
                throw new IllegalArgumentException(CONSOLE_CERTIFICATE_ARN + " must be an ACM certificate ARN"
                        + " (arn:aws:acm:<region>:<account>:certificate/<id>): " + certificateArn);
            }
        }

        private static void requireText(String key, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(key + " must not be blank");
            }
        }
    }

    /** The lake's defaults: the names every service's {@code application.properties} uses. */
    public static DeploymentSettings defaults() {
        return new DeploymentSettings(
                new LakeBuckets("lake-landing", "lake-bronze", "lake-silver", "lake-gold", "lake-quarantine"),
                LakeTopology.QueueNames.defaults(), "incoming/", "latest", Map.of(), DEFAULT_BRONZE_LOCK_DAYS, 1,
                "mortgage_lake", DEFAULT_SERVICE_NAMESPACE, Optional.empty());
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
        context(node, "lake.image." + LakeConsole.SERVICE_NAME).ifPresent(uri -> images.put(LakeConsole.SERVICE_NAME, uri));
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
                context(node, "lake.glue-database").orElse(d.glueDatabase()),
                context(node, "lake.service-namespace").orElse(d.serviceNamespace()),
                console(node));
    }

    /** The console's settings: none without an issuer, refused when half configured. */
    private static Optional<ConsoleSettings> console(Node node) {
        Optional<String> issuer = context(node, CONSOLE_OIDC_ISSUER);
        List<String> others = List.of(CONSOLE_OIDC_CLIENT_ID, CONSOLE_OIDC_SECRET_NAME, CONSOLE_CERTIFICATE_ARN, CONSOLE_INTERNET_FACING);
        if (issuer.isEmpty()) {
            List<String> set = others.stream().filter(key -> context(node, key).isPresent()).toList();
            if (!set.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", set) + " set without " + CONSOLE_OIDC_ISSUER
                        + ": the operator console is deployed only with an OIDC issuer (production never signs people in"
                        + " against the demo users). Set " + CONSOLE_OIDC_ISSUER + ", or remove " + String.join(", ", set)
                        + " to deploy without the console.");
            }
            return Optional.empty();
        }
        String internetFacing = context(node, CONSOLE_INTERNET_FACING).orElse("false").toLowerCase(Locale.ROOT);
        if (!internetFacing.equals("true") && !internetFacing.equals("false")) {
            throw new IllegalArgumentException(CONSOLE_INTERNET_FACING + " must be true or false: " + internetFacing);
        }
        return Optional.of(new ConsoleSettings(issuer.get(), required(node, CONSOLE_OIDC_CLIENT_ID),
                required(node, CONSOLE_OIDC_SECRET_NAME), required(node, CONSOLE_CERTIFICATE_ARN), Boolean.parseBoolean(internetFacing)));
    }

    private static String required(Node node, String key) {
        return context(node, key).orElseThrow(() -> new IllegalArgumentException(key + " is required when the operator console is"
                + " deployed (" + CONSOLE_OIDC_ISSUER + " is set)"));
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
