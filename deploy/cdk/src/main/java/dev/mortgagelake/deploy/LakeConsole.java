package dev.mortgagelake.deploy;

import dev.mortgagelake.deploy.DeploymentSettings.ConsoleSettings;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancerRedirectConfig;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator console (console-service) as a Fargate service behind an Application Load Balancer.
 *
 * <ul>
 *   <li>It holds no lake credentials: its task role has no policy at all (no S3, SQS, KMS or Glue); it calls
 *       the operator APIs of ingest, retry and publish at their Cloud Map names with the signed-in person's
 *       access token, and each service decides what that person may do.</li>
 *   <li>People sign in at the OIDC provider ({@code QUARKUS_OIDC_AUTH_SERVER_URL}, client id, and the client
 *       secret from Secrets Manager as an ECS secret); the demo users' realm is switched off.</li>
 *   <li>The load balancer is internal unless {@code lake.console.internet-facing=true}; HTTPS on 443 with the
 *       ACM certificate of {@code lake.console.certificate-arn} (TLS 1.3/1.2 policy), HTTP 80 only redirects
 *       to it; TLS ends at the load balancer, which reaches the task on 8080 and checks {@code /q/health/ready}.</li>
 *   <li>Network: the load balancer alone reaches the console (8080); the console alone reaches the three
 *       operator APIs (8080). Nothing else is opened.</li>
 *   <li>One task (sessions live in memory; see console-service's README), with cookie stickiness so a
 *       rolling deployment does not bounce people between the old and the new task.</li>
 * </ul>
 */
public final class LakeConsole extends Construct {

    public static final String SERVICE_NAME = "console-service";
    /** The AWS console's page of an S3 object: where a lake location in the console links to. */
    public static final String OBJECT_URL = "https://s3.console.aws.amazon.com/s3/object/{bucket}?prefix={key}";
    public static final String HEALTH_CHECK_PATH = "/q/health/ready";
    public static final int HTTPS_PORT = 443;
    public static final int HTTP_PORT = 80;
    public static final int CPU = 256;
    public static final int MEMORY_MIB = 512;
    /** A rolling deployment runs the old and the new task side by side; a session stays with its task. */
    public static final Duration STICKINESS = Duration.hours(8);

    /** The console's setting ({@code lake.console.<service>-url}) for each operator API it calls. */
    static final Map<LakeServiceSpec, String> URL_VARIABLES = Map.of(
            LakeServiceSpec.INGEST, "LAKE_CONSOLE_INGEST_URL",
            LakeServiceSpec.RETRY, "LAKE_CONSOLE_RETRY_URL",
            LakeServiceSpec.PUBLISH, "LAKE_CONSOLE_PUBLISH_URL");
    static final String CLIENT_SECRET_VARIABLE = "QUARKUS_OIDC_CREDENTIALS_SECRET";

    private final Role taskRole;
    private final FargateTaskDefinition task;
    private final FargateService service;
    private final ApplicationLoadBalancer loadBalancer;
    private final ApplicationTargetGroup targetGroup;

    public LakeConsole(Construct scope, String id, DeploymentSettings settings, ConsoleSettings console, LakeServices services) {
        super(scope, id);
        taskRole = Role.Builder.create(this, "TaskRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("Mortgage lake " + SERVICE_NAME + ": no lake access; it calls the services as the signed-in person")
                .build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/mortgage-lake/" + SERVICE_NAME)
                .retention(LakeServices.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        task = FargateTaskDefinition.Builder.create(this, "Task")
                .family("mortgage-lake-" + SERVICE_NAME)
                .cpu(CPU)
                .memoryLimitMiB(MEMORY_MIB)
                .runtimePlatform(RuntimePlatform.builder()
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .build())
                .taskRole(taskRole)
                .build();
        ISecret clientSecret = Secret.fromSecretNameV2(this, "OidcClientSecret", console.oidcSecretName());
        task.addContainer(SERVICE_NAME, ContainerDefinitionOptions.builder()
                .image(LakeServices.image(this, SERVICE_NAME, settings))
                .environment(environment(settings, console))
                .secrets(Map.of(CLIENT_SECRET_VARIABLE, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(clientSecret)))
                .logging(LogDriver.awsLogs(AwsLogDriverProps.builder().logGroup(logs).streamPrefix(SERVICE_NAME).build()))
                .portMappings(List.of(PortMapping.builder().containerPort(LakeServices.HTTP_PORT).build()))
                .build());
        service = FargateService.Builder.create(this, "Service")
                .serviceName(SERVICE_NAME)
                .cluster(services.cluster())
                .taskDefinition(task)
                .desiredCount(1)
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .healthCheckGracePeriod(Duration.seconds(60))
                .circuitBreaker(DeploymentCircuitBreaker.builder().rollback(true).build())
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .build();
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            if (spec.servesOperatorApi()) {
                services.service(spec).getConnections().allowFrom(service, Port.tcp(LakeServices.HTTP_PORT),
                        SERVICE_NAME + " calls the operator API of " + spec.serviceName());
            }
        }

        loadBalancer = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
                .vpc(services.vpc())
                .internetFacing(console.internetFacing())
                .vpcSubnets(SubnetSelection.builder()
                        .subnetType(console.internetFacing() ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS)
                        .build())
                .dropInvalidHeaderFields(true)
                .build();
        ApplicationListener https = loadBalancer.addListener("Https", BaseApplicationListenerProps.builder()
                .port(HTTPS_PORT)
                .protocol(ApplicationProtocol.HTTPS)
                .certificates(List.of(ListenerCertificate.fromArn(console.certificateArn())))
                .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                .build());
        targetGroup = https.addTargets("Console", AddApplicationTargetsProps.builder()
                .port(LakeServices.HTTP_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .targets(List.of(service))
                .healthCheck(HealthCheck.builder()
                        .path(HEALTH_CHECK_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(15))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build())
                .deregistrationDelay(Duration.seconds(30))
                .stickinessCookieDuration(STICKINESS)
                .build());
        loadBalancer.addRedirect(ApplicationLoadBalancerRedirectConfig.builder()
                .sourceProtocol(ApplicationProtocol.HTTP)
                .sourcePort(HTTP_PORT)
                .targetProtocol(ApplicationProtocol.HTTPS)
                .targetPort(HTTPS_PORT)
                .build());
    }

    /**
     * The console's configuration (console-service's README): the operator APIs at their Cloud Map names,
     * a {@code Secure} session cookie (TLS ends at the load balancer), lake objects linking to the AWS
     * console, and sign-in at the OIDC provider only. The client secret is not here: it is an ECS secret.
     */
    static Map<String, String> environment(DeploymentSettings settings, ConsoleSettings console) {
        Map<String, String> env = new LinkedHashMap<>();
        for (LakeServiceSpec spec : List.of(LakeServiceSpec.PUBLISH, LakeServiceSpec.RETRY, LakeServiceSpec.INGEST)) {
            env.put(URL_VARIABLES.get(spec), LakeServices.operatorApiUrl(spec, settings));
        }
        env.put("LAKE_CONSOLE_SECURE_COOKIE", "true");
        env.put("LAKE_CONSOLE_OBJECT_URL", OBJECT_URL);
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", console.oidcIssuer());
        env.put("QUARKUS_OIDC_CLIENT_ID", console.oidcClientId());
        env.put("QUARKUS_SECURITY_USERS_EMBEDDED_ENABLED", "false");
        // Behind the load balancer: the request's scheme and client address come from its X-Forwarded-* headers
        // (only the load balancer can reach the task), so the OIDC redirect URI is https://; the provider's
        // state and session cookies are Secure whatever the scheme.
        env.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
        env.put("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true");
        env.put("QUARKUS_OIDC_AUTHENTICATION_COOKIE_FORCE_SECURE", "true");
        return env;
    }

    public Role taskRole() {
        return taskRole;
    }

    public FargateTaskDefinition task() {
        return task;
    }

    public FargateService service() {
        return service;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    public ApplicationTargetGroup targetGroup() {
        return targetGroup;
    }
}
