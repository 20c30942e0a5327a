package dev.mortgagelake.deploy;

import dev.mortgagelake.deploy.LakeServiceSpec.Channel;
import dev.mortgagelake.deploy.LakeServiceSpec.Layer;
import dev.mortgagelake.deploy.LakeServiceSpec.ObjectGrant;
import dev.mortgagelake.layout.LakeBuckets;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CloudMapOptions;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.servicediscovery.DnsRecordType;
import software.amazon.awscdk.services.servicediscovery.PrivateDnsNamespace;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ECS cluster and one Fargate service per microservice. Each service gets its own task role with
 * exactly the grants of its {@link LakeServiceSpec} (publish-service also its Iceberg tables in the Glue
 * catalog), its own log group (30-day retention), the bucket
 * and queue names as environment variables (overriding its {@code application.properties}), and
 * step scaling on the depth of the queue it consumes. The services with an operator API
 * ({@link LakeServiceSpec#servesOperatorApi()}) are registered in a private Cloud Map DNS namespace,
 * {@code <service>.<lake.service-namespace>}, for the operator console ({@link LakeConsole}); with the
 * console deployed they accept its OIDC provider's bearer tokens instead of the demo users.
 */
public final class LakeServices extends Construct {

    /** Container port of the Quarkus HTTP server (health, metrics); set by each Dockerfile.jvm. */
    public static final int HTTP_PORT = 8080;
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;
    /** Receive/delete/extend on a consumed queue (GetQueueUrl: the connector resolves names to URLs). */
    public static final List<String> CONSUME_ACTIONS = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:GetQueueAttributes");
    public static final List<String> SEND_ACTIONS = List.of("sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes");
    /** SSE-KMS: write needs a data key, read needs decrypt. */
    public static final List<String> KMS_ACTIONS = List.of("kms:Decrypt", "kms:GenerateDataKey");
    /**
     * What Iceberg's {@code GlueCatalog} reads: the database (a namespace check before a create), a table
     * (every load and every commit reads the current {@code metadata_location}) and the table list.
     */
    public static final List<String> ICEBERG_CATALOG_READ_ACTIONS = List.of("glue:GetDatabase", "glue:GetTable", "glue:GetTables");
    /**
     * What its commits write: {@code UpdateTable} swaps {@code metadata_location} (optimistically, on the
     * table's version id); {@code CreateTable} only if a table is missing. No {@code DeleteTable}: the lake
     * never drops a table (Iceberg's GlueCatalog deletes only a temporary table under Lake Formation, not used here).
     */
    public static final List<String> ICEBERG_CATALOG_COMMIT_ACTIONS = List.of("glue:CreateTable", "glue:UpdateTable");

    /** publish-service's properties of its Iceberg catalog ({@code PublishConfig.Iceberg}). */
    public static final String ICEBERG_CATALOG_PROPERTY = "lake.publish.iceberg.catalog";
    public static final String ICEBERG_WAREHOUSE_PROPERTY = "lake.publish.iceberg.warehouse";
    public static final String ICEBERG_NAMESPACE_PROPERTY = "lake.publish.iceberg.namespace";

    /** Cloud Map A records of a service's tasks live this long in resolvers (tasks come and go on deployments). */
    public static final Duration SERVICE_DNS_TTL = Duration.seconds(10);

    private final Vpc vpc;
    private final PrivateDnsNamespace namespace;
    private final Cluster cluster;
    private final Map<LakeServiceSpec, Role> taskRoles = new EnumMap<>(LakeServiceSpec.class);
    private final Map<LakeServiceSpec, FargateService> services = new EnumMap<>(LakeServiceSpec.class);

    public LakeServices(Construct scope, String id, DeploymentSettings settings, LakeStorage storage, LakeQueues queues) {
        super(scope, id);
        vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(2)
                .natGateways(settings.natGateways())
                // S3 traffic (all the lake's data) stays off the NAT gateway.
                .gatewayEndpoints(Map.of("S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build()))
                .build();
        cluster = Cluster.Builder.create(this, "Cluster")
                .vpc(vpc)
                .containerInsightsV2(ContainerInsights.ENABLED)
                .build();
        namespace = PrivateDnsNamespace.Builder.create(this, "Namespace")
                .vpc(vpc)
                .name(settings.serviceNamespace())
                .description("Mortgage lake services' operator APIs: <service>." + settings.serviceNamespace() + ":" + HTTP_PORT)
                .build();
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            Role role = taskRole(spec, settings, storage, queues);
            taskRoles.put(spec, role);
            services.put(spec, service(spec, settings, role, queues));
        }
    }

    public Vpc vpc() {
        return vpc;
    }

    public PrivateDnsNamespace namespace() {
        return namespace;
    }

    /** Where a service's operator API is in the VPC, e.g. {@code http://publish-service.lake.internal:8080}. */
    public static String operatorApiUrl(LakeServiceSpec spec, DeploymentSettings settings) {
        if (!spec.servesOperatorApi()) {
            throw new IllegalArgumentException(spec.serviceName() + " serves no operator API");
        }
        return "http://" + spec.serviceName() + "." + settings.serviceNamespace() + ":" + HTTP_PORT;
    }

    public Cluster cluster() {
        return cluster;
    }

    public Role taskRole(LakeServiceSpec spec) {
        return taskRoles.get(spec);
    }

    public FargateService service(LakeServiceSpec spec) {
        return services.get(spec);
    }

    private Role taskRole(LakeServiceSpec spec, DeploymentSettings settings, LakeStorage storage, LakeQueues queues) {
        Role role = Role.Builder.create(this, spec.constructId() + "TaskRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("Mortgage lake " + spec.serviceName() + ": its lake keys and queues, nothing else")
                .build();

        // Readiness heads every lake bucket (HeadBucket is authorised by s3:ListBucket); the ingest sweep,
        // the ledger and the table version log list their own prefixes.
        List<String> bucketArns = new ArrayList<>();
        for (Bucket bucket : storage.all()) {
            bucketArns.add(bucket.getBucketArn());
        }
        role.addToPrincipalPolicy(statement("ListLakeBuckets", List.of("s3:ListBucket"), bucketArns));

        Map<Layer, List<String>> readOnly = new LinkedHashMap<>();
        Map<Layer, List<String>> readWrite = new LinkedHashMap<>();
        for (ObjectGrant grant : spec.objectGrants(settings)) {
            String arn = storage.bucket(grant.layer()).arnForObjects(grant.keyPattern());
            (grant.write() ? readWrite : readOnly).computeIfAbsent(grant.layer(), l -> new ArrayList<>()).add(arn);
        }
        readOnly.forEach((layer, arns) -> role.addToPrincipalPolicy(
                statement("Read" + pascal(layer), List.of("s3:GetObject"), arns)));
        readWrite.forEach((layer, arns) -> role.addToPrincipalPolicy(
                statement("ReadWrite" + pascal(layer), List.of("s3:GetObject", "s3:PutObject"), arns)));
        for (Layer layer : Layer.values()) {
            if (readOnly.containsKey(layer) || readWrite.containsKey(layer)) {
                storage.key(layer).ifPresent(key -> role.addToPrincipalPolicy(
                        statement("UseKey" + pascal(layer), KMS_ACTIONS, List.of(key.getKeyArn()))));
            }
        }

        role.addToPrincipalPolicy(statement("ConsumeQueue", CONSUME_ACTIONS, spec.incomingChannels().stream()
                .map(c -> queues.queue(c.queue().apply(settings.queues())).getQueueArn())
                .toList()));
        if (!spec.outgoing().isEmpty()) {
            List<String> sendArns = spec.outgoing().stream()
                    .map(c -> queues.queue(c.queue().apply(settings.queues())).getQueueArn())
                    .toList();
            role.addToPrincipalPolicy(statement("SendToQueues", SEND_ACTIONS, sendArns));
        }
        // Readiness: ListQueues has no resource-level permissions, so its resource is "*".
        role.addToPrincipalPolicy(statement("QueueReadiness", List.of("sqs:ListQueues"), List.of("*")));

        if (spec.commitsIcebergSnapshots()) {
            // The Glue catalog of the Iceberg tables: reads in the lake's database, commits to its Iceberg tables
            // only (never to the Hive-style audit and current/ tables beside them). The metadata files go below each
            // table's location (<table root>_iceberg/metadata/), inside the prefixes this role already writes.
            String db = settings.glueDatabase();
            List<String> readArns = List.of(glueArn("catalog"), glueArn("database/" + db), glueArn("table/" + db + "/*"));
            List<String> commitArns = new ArrayList<>(List.of(glueArn("catalog"), glueArn("database/" + db)));
            LakeCatalog.icebergTables(settings).forEach(t -> commitArns.add(glueArn("table/" + db + "/" + t.identifier().name())));
            role.addToPrincipalPolicy(statement("IcebergCatalogRead", ICEBERG_CATALOG_READ_ACTIONS, readArns));
            role.addToPrincipalPolicy(statement("IcebergCatalogCommit", ICEBERG_CATALOG_COMMIT_ACTIONS, commitArns));
        }
        return role;
    }

    private FargateService service(LakeServiceSpec spec, DeploymentSettings settings, Role role, LakeQueues queues) {
        String id = spec.constructId();
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .logGroupName("/mortgage-lake/" + spec.serviceName())
                .retention(LOG_RETENTION)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        FargateTaskDefinition task = FargateTaskDefinition.Builder.create(this, id + "Task")
                .family("mortgage-lake-" + spec.serviceName())
                .cpu(spec.cpu())
                .memoryLimitMiB(spec.memoryMiB())
                .ephemeralStorageGiB(spec.ephemeralStorageGiB() > 21 ? spec.ephemeralStorageGiB() : null)
                .runtimePlatform(RuntimePlatform.builder()
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .build())
                .taskRole(role)
                .build();
        task.addContainer(spec.serviceName(), ContainerDefinitionOptions.builder()
                .image(image(spec, settings))
                .environment(environment(spec, settings))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix(spec.serviceName()).build()))
                .portMappings(List.of(PortMapping.builder().containerPort(HTTP_PORT).build()))
                .build());
        FargateService service = FargateService.Builder.create(this, id)
                .serviceName(spec.serviceName())
                .cluster(cluster)
                .taskDefinition(task)
                .desiredCount(spec.minTasks())
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .cloudMapOptions(spec.servesOperatorApi() ? CloudMapOptions.builder()
                        .cloudMapNamespace(namespace)
                        .name(spec.serviceName())
                        .dnsRecordType(DnsRecordType.A)
                        .dnsTtl(SERVICE_DNS_TTL)
                        .build() : null)
                .build();

        Queue consumed = queues.queue(spec.incoming().queue().apply(settings.queues()));
        ScalableTaskCount scaling = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(spec.minTasks())
                .maxCapacity(spec.maxTasks())
                .build());
        scaling.scaleOnMetric("QueueDepthScaling", BasicStepScalingPolicyProps.builder()
                .metric(consumed.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(Duration.minutes(1))
                        .statistic("Maximum")
                        .build()))
                .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                .scalingSteps(List.of(
                        ScalingInterval.builder().upper(0).change(-1).build(),
                        ScalingInterval.builder().lower(1).change(1).build(),
                        ScalingInterval.builder().lower(100).change(2).build()))
                .cooldown(Duration.minutes(2))
                .build());
        return service;
    }

    /** Bucket and queue names (and ingest's landing prefix) as the service reads them. */
    static Map<String, String> environment(LakeServiceSpec spec, DeploymentSettings settings) {
        LakeBuckets b = settings.buckets();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LAKE_BUCKETS_LANDING", b.landing());
        env.put("LAKE_BUCKETS_BRONZE", b.bronze());
        env.put("LAKE_BUCKETS_SILVER", b.silver());
        env.put("LAKE_BUCKETS_GOLD", b.gold());
        env.put("LAKE_BUCKETS_QUARANTINE", b.quarantine());
        List<Channel> channels = new ArrayList<>();
        channels.addAll(spec.incomingChannels());
        channels.addAll(spec.outgoing());
        for (Channel channel : channels) {
            env.put(channel.queueEnvironmentVariable(), channel.queue().apply(settings.queues()));
        }
        if (spec == LakeServiceSpec.INGEST) {
            env.put("LAKE_INGEST_LANDING_PREFIX", settings.landingPrefix());
        }
        if (spec.commitsIcebergSnapshots()) {
            // PublishConfig.Iceberg: the Glue catalog, so Athena sees every snapshot; the namespace is the Glue database.
            env.put(LakeServiceSpec.environmentVariable(ICEBERG_CATALOG_PROPERTY), "glue");
            env.put(LakeServiceSpec.environmentVariable(ICEBERG_WAREHOUSE_PROPERTY), settings.icebergWarehouse());
            env.put(LakeServiceSpec.environmentVariable(ICEBERG_NAMESPACE_PROPERTY), settings.glueDatabase());
        }
        if (spec.servesOperatorApi()) {
            // The console forwards the signed-in person's access token: the operator API must accept the same
            // provider, and nobody else (no demo users in production). Without a console the API has no ingress.
            settings.console().ifPresent(console -> {
                env.put("QUARKUS_OIDC_AUTH_SERVER_URL", console.oidcIssuer());
                env.put("QUARKUS_OIDC_CLIENT_ID", console.oidcClientId());
                env.put("QUARKUS_SECURITY_USERS_EMBEDDED_ENABLED", "false");
            });
        }
        return env;
    }

    private ContainerImage image(LakeServiceSpec spec, DeploymentSettings settings) {
        return image(this, spec.serviceName(), settings);
    }

    /**
     * {@code lake.image.<service>} if set, otherwise the ECR repository {@code mortgage-lake/<service>} at
     * {@code lake.image-tag}.
     */
    static ContainerImage image(Construct scope, String serviceName, DeploymentSettings settings) {
        String uri = settings.imageOverrides().get(serviceName);
        if (uri != null) {
            return ContainerImage.fromRegistry(uri);
        }
        return ContainerImage.fromEcrRepository(
                Repository.fromRepositoryName(scope, LakeServiceSpec.constructId(serviceName) + "Repository", "mortgage-lake/" + serviceName),
                settings.imageTag());
    }

    /** A Glue resource ARN in this stack's account and region, e.g. {@code table/mortgage_lake/silver_transactions}. */
    private static String glueArn(String resource) {
        return "arn:" + Aws.PARTITION + ":glue:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":" + resource;
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build();
    }

    private static String pascal(Layer layer) {
        String name = layer.name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
