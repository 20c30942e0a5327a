package dev.mortgagelake.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IConnectable;
import software.constructs.IConstruct;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack with the operator console: synthesised once with an OIDC issuer, client, secret name and
 * certificate in the CDK context (internal load balancer, images from ECR), and once more with an
 * internet-facing load balancer and an image override. Every property is asserted by value; the security
 * group rules and the console's IAM are asserted as exact sets.
 */
class ConsoleStackTest {

    static final String ISSUER = "https://login.example.com/realms/lake";
    static final String CLIENT_ID = "lake-console";
    static final String SECRET_NAME = "mortgage-lake/console-oidc";
    static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012";

    static LakeStack stack;
    static LakeConsole console;
    static Template template;
    static Map<String, Object> json;
    static SynthesisedPolicies policies;

    static Map<String, Object> context(Map<String, String> extra) {
        Map<String, Object> context = new HashMap<>(Map.of(
                DeploymentSettings.CONSOLE_OIDC_ISSUER, ISSUER,
                DeploymentSettings.CONSOLE_OIDC_CLIENT_ID, CLIENT_ID,
                DeploymentSettings.CONSOLE_OIDC_SECRET_NAME, SECRET_NAME,
                DeploymentSettings.CONSOLE_CERTIFICATE_ARN, CERTIFICATE));
        context.putAll(extra);
        return context;
    }

    static LakeStack synthesise(Map<String, Object> context) {
        App app = new App(AppProps.builder().context(context).build());
        return new LakeStack(app, LakeCdkApp.STACK_NAME, StackProps.builder().build(), DeploymentSettings.fromContext(app.getNode()));
    }

    @BeforeAll
    static void synthesise() {
        long start = System.nanoTime();
        stack = synthesise(context(Map.of()));
        console = stack.console().orElseThrow();
        template = Template.fromStack(stack);
        json = template.toJSON();
        policies = new SynthesisedPolicies(json);
        System.out.printf("LakeStack with the console synthesised in %d ms (%d resources)%n",
                (System.nanoTime() - start) / 1_000_000, resources().size());
    }

    // ---- The console's service ------------------------------------------------------------------

    @Test
    void theConsoleRunsAsOneFargateTaskWithItsOwnRoleAndLogGroup() {
        String role = logicalId(console.taskRole());
        String logs = logicalIdWith("AWS::Logs::LogGroup", Map.of("LogGroupName", "/mortgage-lake/console-service"));
        assertThat(properties(logs)).containsEntry("RetentionInDays", 30);
        assertThat(resource(logs)).containsEntry("DeletionPolicy", "Retain");
        String task = logicalIdWith("AWS::ECS::TaskDefinition", Map.of("Family", "mortgage-lake-console-service"));
        assertThat(properties(task)).containsEntry("Cpu", "256").containsEntry("Memory", "512")
                .containsEntry("RequiresCompatibilities", List.of("FARGATE"))
                .containsEntry("NetworkMode", "awsvpc")
                .containsEntry("TaskRoleArn", Map.of("Fn::GetAtt", List.of(role, "Arn")));
        Map<String, Object> container = container();
        assertThat(container).containsEntry("Name", "console-service")
                .containsEntry("PortMappings", List.of(Map.of("ContainerPort", 8080, "Protocol", "tcp")));
        assertThat(container.get("LogConfiguration")).isEqualTo(Map.of("LogDriver", "awslogs", "Options", Map.of(
                "awslogs-group", Map.of("Ref", logs), "awslogs-stream-prefix", "console-service",
                "awslogs-region", Map.of("Ref", "AWS::Region"))));
        // From ECR, like the other services: mortgage-lake/console-service at lake.image-tag.
        assertThat(String.valueOf(container.get("Image"))).contains("/mortgage-lake/console-service:latest");

        String service = logicalId(console.service());
        String targetGroup = logicalId(console.targetGroup());
        Map<String, Object> props = properties(service);
        assertThat(props).containsEntry("ServiceName", "console-service").containsEntry("LaunchType", "FARGATE")
                .containsEntry("DesiredCount", 1)
                .containsEntry("TaskDefinition", Map.of("Ref", task))
                .containsEntry("Cluster", Map.of("Ref", logicalId(stack.services().cluster())))
                .containsEntry("HealthCheckGracePeriodSeconds", 60)
                .containsEntry("DeploymentConfiguration", Map.of(
                        "Alarms", Map.of("AlarmNames", List.of(), "Enable", false, "Rollback", false),
                        "DeploymentCircuitBreaker", Map.of("Enable", true, "Rollback", true),
                        "MaximumPercent", 200, "MinimumHealthyPercent", 100))
                .containsEntry("LoadBalancers", List.of(Map.of("ContainerName", "console-service", "ContainerPort", 8080,
                        "TargetGroupArn", Map.of("Ref", targetGroup))))
                .doesNotContainKey("ServiceRegistries");
        assertThat(props.get("NetworkConfiguration")).isEqualTo(Map.of("AwsvpcConfiguration", Map.of(
                "AssignPublicIp", "DISABLED",
                "SecurityGroups", List.of(Map.of("Fn::GetAtt", List.of(securityGroup(console.service()), "GroupId"))),
                "Subnets", subnetRefs(stack.services().vpc().getPrivateSubnets()))));

        // Five services now, the console unscaled (its sessions live in one task's memory).
        template.resourceCountIs("AWS::ECS::Service", 5);
        template.resourceCountIs("AWS::Logs::LogGroup", 5);
        template.resourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 4);
    }

    @Test
    void theConsoleGetsTheServicesCloudMapNamesASecureCookieTheObjectPageAndOidcOnly() throws IOException {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("LAKE_CONSOLE_PUBLISH_URL", "http://publish-service.lake.internal:8080");
        expected.put("LAKE_CONSOLE_RETRY_URL", "http://retry-service.lake.internal:8080");
        expected.put("LAKE_CONSOLE_INGEST_URL", "http://ingest-service.lake.internal:8080");
        expected.put("LAKE_CONSOLE_SECURE_COOKIE", "true");
        expected.put("LAKE_CONSOLE_OBJECT_URL", "https://s3.console.aws.amazon.com/s3/object/{bucket}?prefix={key}");
        expected.put("QUARKUS_OIDC_AUTH_SERVER_URL", ISSUER);
        expected.put("QUARKUS_OIDC_CLIENT_ID", CLIENT_ID);
        expected.put("QUARKUS_SECURITY_USERS_EMBEDDED_ENABLED", "false");
        expected.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
        expected.put("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true");
        expected.put("QUARKUS_OIDC_AUTHENTICATION_COOKIE_FORCE_SECURE", "true");
        assertThat(environment(container())).containsExactlyInAnyOrderEntriesOf(expected);

        // The client secret is an ECS secret read from Secrets Manager at task start, never plain environment.
        assertThat(container().get("Secrets")).isEqualTo(List.of(Map.of("Name", "QUARKUS_OIDC_CREDENTIALS_SECRET",
                "ValueFrom", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":secretsmanager:",
                        Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":secret:" + SECRET_NAME))))));

        // The variables are console-service's own settings, under SmallRye's environment names.
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("../../console-service/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        for (String property : List.of("lake.console.publish-url", "lake.console.retry-url", "lake.console.ingest-url",
                "lake.console.secure-cookie", "quarkus.security.users.embedded.enabled")) {
            assertThat(properties.stringPropertyNames()).contains(property);
            assertThat(expected).containsKey(LakeServiceSpec.environmentVariable(property));
        }
        String config = Files.readString(Path.of("../../console-service/src/main/java/dev/mortgagelake/service/console/ConsoleConfig.java"));
        assertThat(config).contains("@ConfigMapping(prefix = \"lake.console\")").contains("Optional<String> objectUrl()");
        assertThat(LakeServiceSpec.environmentVariable("lake.console.object-url")).isEqualTo("LAKE_CONSOLE_OBJECT_URL");
    }

    @Test
    void theOperatorApisAcceptTheSameProviderAndNoDemoUsers() {
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            Map<String, String> env = environment(container("mortgage-lake-" + spec.serviceName()));
            if (spec.servesOperatorApi()) {
                assertThat(env).as(spec.serviceName()).containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", ISSUER)
                        .containsEntry("QUARKUS_OIDC_CLIENT_ID", CLIENT_ID)
                        .containsEntry("QUARKUS_SECURITY_USERS_EMBEDDED_ENABLED", "false");
            } else {
                assertThat(env.keySet()).as(spec.serviceName()).noneMatch(k -> k.startsWith("QUARKUS_OIDC_") || k.startsWith("QUARKUS_SECURITY_"));
            }
        }
    }

    // ---- IAM ------------------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void theConsoleHasNoLakePermissionAtAll() {
        String taskRole = logicalId(console.taskRole());
        String executionRole = logicalId(console.task().getExecutionRole());
        assertThat(properties(taskRole)).doesNotContainKeys("Policies", "ManagedPolicyArns");
        assertThat(properties(executionRole)).doesNotContainKeys("Policies", "ManagedPolicyArns");
        List<SynthesisedPolicies.Grant> taskGrants = new ArrayList<>();
        Set<String> executionActions = new TreeSet<>();
        for (SynthesisedPolicies.Grant grant : policies.grants()) {
            if (grant.roles().contains(taskRole)) {
                taskGrants.add(grant);
            }
            if (grant.roles().contains(executionRole)) {
                executionActions.addAll(grant.actions());
            }
        }
        assertThat(taskGrants).as("the console's task role").isEmpty();
        // The execution role (ECS's, not the application's): pull the image, write the logs, read the client secret.
        assertThat(executionActions).containsExactlyInAnyOrder("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "logs:CreateLogStream", "logs:PutLogEvents",
                "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret");
        String secret = "arn:aws:secretsmanager:eu-test-1:123456789012:secret:" + SECRET_NAME + "-AbCdEf";
        assertThat(policies.rolesAllowed("secretsmanager:GetSecretValue", secret)).containsExactly(executionRole);
        assertThat(policies.rolesAllowed("secretsmanager:GetSecretValue",
                "arn:aws:secretsmanager:eu-test-1:123456789012:secret:other-AbCdEf")).isEmpty();

        // No S3, SQS, KMS or Glue action on anything, for either role.
        for (SynthesisedPolicies.Grant grant : policies.grants()) {
            if (grant.roles().contains(taskRole) || grant.roles().contains(executionRole)) {
                assertThat(grant.actions()).as(grant.source().toString()).noneMatch(a -> a.equals("*")
                        || SynthesisedPolicies.lower(a).matches("(s3|sqs|kms|glue):.*"));
            }
        }
        for (String[] probe : List.of(
                new String[] {"s3:GetObject", SynthesisedPolicies.objectArn("lake-gold", "gold/finance/account_balances/x.parquet")},
                new String[] {"s3:PutObject", SynthesisedPolicies.objectArn("lake-silver", "silver/mortgages/transactions/_table/_LATEST.json")},
                new String[] {"s3:ListBucket", "arn:aws:s3:::lake-quarantine"},
                new String[] {"sqs:SendMessage", SynthesisedPolicies.queueArn("lake-file-landed")},
                new String[] {"sqs:ReceiveMessage", SynthesisedPolicies.queueArn("lake-run-validated-retry")},
                new String[] {"kms:Decrypt", SynthesisedPolicies.keyArn(logicalId(stack.storage().key(LakeServiceSpec.Layer.GOLD).orElseThrow()))},
                new String[] {"glue:GetTable", LakeStackTest.glueArn("table/mortgage_lake/silver_transactions")})) {
            assertThat(policies.rolesAllowed(probe[0], probe[1])).as(probe[0] + " " + probe[1])
                    .doesNotContain(taskRole, executionRole);
        }
    }

    // ---- Load balancer --------------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void anInternalLoadBalancerServesHttpsWithTheCertificateAndRedirectsHttp() {
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 1);
        String alb = logicalId(console.loadBalancer());
        Map<String, Object> albProps = properties(alb);
        assertThat(albProps).containsEntry("Scheme", "internal").containsEntry("Type", "application")
                .containsEntry("Subnets", subnetRefs(stack.services().vpc().getPrivateSubnets()))
                .containsEntry("SecurityGroups", List.of(Map.of("Fn::GetAtt", List.of(securityGroup(console.loadBalancer()), "GroupId"))));
        assertThat((List<Object>) albProps.get("LoadBalancerAttributes"))
                .contains(Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true"));

        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        String targetGroup = logicalId(console.targetGroup());
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "LoadBalancerArn", Map.of("Ref", alb),
                "Port", 443,
                "Protocol", "HTTPS",
                "Certificates", List.of(Map.of("CertificateArn", CERTIFICATE)),
                "SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "DefaultActions", List.of(Map.of("Type", "forward", "TargetGroupArn", Map.of("Ref", targetGroup)))));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of(
                "LoadBalancerArn", Map.of("Ref", alb),
                "Port", 80,
                "Protocol", "HTTP",
                "DefaultActions", List.of(Map.of("Type", "redirect", "RedirectConfig",
                        Map.of("Port", "443", "Protocol", "HTTPS", "StatusCode", "HTTP_301")))));

        template.resourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 1);
        Map<String, Object> tg = properties(targetGroup);
        assertThat(tg).containsEntry("Port", 8080).containsEntry("Protocol", "HTTP").containsEntry("TargetType", "ip")
                .containsEntry("VpcId", Map.of("Ref", logicalId(stack.services().vpc())))
                .containsEntry("HealthCheckPath", "/q/health/ready")
                .containsEntry("Matcher", Map.of("HttpCode", "200"))
                .containsEntry("HealthCheckIntervalSeconds", 15)
                .containsEntry("HealthyThresholdCount", 2)
                .containsEntry("UnhealthyThresholdCount", 3);
        assertThat((List<Object>) tg.get("TargetGroupAttributes")).containsExactlyInAnyOrder(
                Map.of("Key", "deregistration_delay.timeout_seconds", "Value", "30"),
                Map.of("Key", "stickiness.enabled", "Value", "true"),
                Map.of("Key", "stickiness.type", "Value", "lb_cookie"),
                Map.of("Key", "stickiness.lb_cookie.duration_seconds", "Value", "28800"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyTheLoadBalancerReachesTheConsoleAndOnlyTheConsoleReachesTheOperatorApis() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put(securityGroup(console.loadBalancer()), "alb");
        names.put(securityGroup(console.service()), "console-service");
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            names.put(securityGroup(stack.services().service(spec)), spec.serviceName());
        }
        template.resourceCountIs("AWS::EC2::SecurityGroup", names.size());

        Set<String> ingress = new TreeSet<>();
        Set<String> egress = new TreeSet<>();
        resources().forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            Map<String, Object> props = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            switch ((String) resource.get("Type")) {
                case "AWS::EC2::SecurityGroup" -> {
                    for (Object rule : SynthesisedPolicies.asList(props.get("SecurityGroupIngress"))) {
                        ingress.add(rule(names, names.get(id), (Map<String, Object>) rule, "CidrIp", "SourceSecurityGroupId"));
                    }
                    for (Object rule : SynthesisedPolicies.asList(props.get("SecurityGroupEgress"))) {
                        Map<String, Object> r = (Map<String, Object>) rule;
                        if (!"0.0.0.0/0".equals(r.get("CidrIp"))) { // allow-all egress of the tasks (ECR, AWS APIs, the IdP)
                            egress.add(rule(names, names.get(id), r, "CidrIp", "DestinationSecurityGroupId").replace(" <- ", " -> "));
                        }
                    }
                }
                case "AWS::EC2::SecurityGroupIngress" -> ingress.add(rule(names, group(names, props.get("GroupId")), props,
                        "CidrIp", "SourceSecurityGroupId"));
                case "AWS::EC2::SecurityGroupEgress" -> egress.add(rule(names, group(names, props.get("GroupId")), props,
                        "CidrIp", "DestinationSecurityGroupId").replace(" <- ", " -> "));
                default -> {
                }
            }
        });
        assertThat(ingress).containsExactlyInAnyOrder(
                "alb <- 0.0.0.0/0 tcp 443-443",
                "alb <- 0.0.0.0/0 tcp 80-80",
                "console-service <- alb tcp 8080-8080",
                "ingest-service <- console-service tcp 8080-8080",
                "retry-service <- console-service tcp 8080-8080",
                "publish-service <- console-service tcp 8080-8080");
        // The load balancer may send only to the console; the tasks' own egress is open (ECR, AWS APIs, the IdP).
        assertThat(egress).containsExactly("alb -> console-service tcp 8080-8080");
        assertThat(properties(securityGroup(console.loadBalancer()))).doesNotContainKey("SecurityGroupEgress");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInternetFacingLoadBalancerSitsInThePublicSubnetsAndAnImageOverrideIsUsedAsIs() {
        LakeStack facing = synthesise(context(Map.of(
                DeploymentSettings.CONSOLE_INTERNET_FACING, "true",
                "lake.image.console-service", "registry.example/console:2.0.0",
                "lake.service-namespace", "acme-lake.internal")));
        Template t = Template.fromStack(facing);
        Map<String, Object> resources = (Map<String, Object>) t.toJSON().get("Resources");
        String alb = logicalId(facing, facing.console().orElseThrow().loadBalancer());
        Map<String, Object> albProps = (Map<String, Object>) ((Map<String, Object>) resources.get(alb)).get("Properties");
        assertThat(albProps).containsEntry("Scheme", "internet-facing")
                .containsEntry("Subnets", subnetRefs(facing, facing.services().vpc().getPublicSubnets()));
        t.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of(
                "Family", "mortgage-lake-console-service",
                "ContainerDefinitions", List.of(Match.objectLike(Map.of(
                        "Image", "registry.example/console:2.0.0",
                        "Environment", Match.arrayWith(List.of(
                                Map.of("Name", "LAKE_CONSOLE_PUBLISH_URL", "Value", "http://publish-service.acme-lake.internal:8080")))))))));
        t.hasResourceProperties("AWS::ServiceDiscovery::PrivateDnsNamespace", Match.objectLike(Map.of("Name", "acme-lake.internal")));
        // The task still runs in the private subnets, without a public address.
        String service = logicalId(facing, facing.console().orElseThrow().service());
        Map<String, Object> serviceProps = (Map<String, Object>) ((Map<String, Object>) resources.get(service)).get("Properties");
        assertThat(((Map<String, Object>) ((Map<String, Object>) serviceProps.get("NetworkConfiguration")).get("AwsvpcConfiguration")))
                .containsEntry("AssignPublicIp", "DISABLED")
                .containsEntry("Subnets", subnetRefs(facing, facing.services().vpc().getPrivateSubnets()));
    }

    // ---- helpers ------------------------------------------------------------------------------

    static String rule(Map<String, String> names, String group, Map<String, Object> rule, String cidrKey, String peerKey) {
        String peer = rule.containsKey(cidrKey) ? (String) rule.get(cidrKey) : group(names, rule.get(peerKey));
        return group + " <- " + peer + " " + rule.get("IpProtocol") + " " + rule.get("FromPort") + "-" + rule.get("ToPort");
    }

    @SuppressWarnings("unchecked")
    static String group(Map<String, String> names, Object reference) {
        List<Object> getAtt = (List<Object>) ((Map<String, Object>) reference).get("Fn::GetAtt");
        String name = names.get((String) getAtt.get(0));
        assertThat(name).as("security group " + getAtt.get(0)).isNotNull();
        return name;
    }

    static String securityGroup(IConnectable connectable) {
        return logicalId(connectable.getConnections().getSecurityGroups().get(0));
    }

    static List<Object> subnetRefs(List<ISubnet> subnets) {
        return subnetRefs(stack, subnets);
    }

    static List<Object> subnetRefs(Stack in, List<ISubnet> subnets) {
        return subnets.stream().map(s -> (Object) Map.of("Ref", logicalId(in, s))).toList();
    }

    static Map<String, Object> container() {
        return container("mortgage-lake-console-service");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> container(String family) {
        String task = logicalIdWith("AWS::ECS::TaskDefinition", Map.of("Family", family));
        return (Map<String, Object>) ((List<Object>) properties(task).get("ContainerDefinitions")).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : (List<Object>) container.get("Environment")) {
            Map<String, Object> entry = (Map<String, Object>) e;
            env.put((String) entry.get("Name"), (String) entry.get("Value"));
        }
        return env;
    }

    static String logicalId(IConstruct construct) {
        return logicalId(stack, construct);
    }

    static String logicalId(Stack in, IConstruct construct) {
        return (String) in.resolve(in.getLogicalId((CfnElement) construct.getNode().getDefaultChild()));
    }

    static String logicalIdWith(String type, Map<String, Object> properties) {
        Map<String, Map<String, Object>> found = template.findResources(type,
                Match.objectLike(Map.of("Properties", Match.objectLike(properties))));
        assertThat(found).as(type + " with " + properties).hasSize(1);
        return found.keySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resources() {
        return (Map<String, Object>) json.get("Resources");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resource(String logicalId) {
        return (Map<String, Object>) resources().get(logicalId);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resource(logicalId).get("Properties");
    }
}
