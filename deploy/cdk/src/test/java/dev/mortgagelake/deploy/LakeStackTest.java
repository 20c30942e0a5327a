package dev.mortgagelake.deploy;

import dev.mortgagelake.deploy.LakeServiceSpec.Layer;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.topology.LakeTopology;
import dev.mortgagelake.topology.LakeTopology.QueueNames;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.mortgagelake.deploy.SynthesisedPolicies.objectArn;
import static dev.mortgagelake.deploy.SynthesisedPolicies.queueArn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on the synthesised CloudFormation template of {@link LakeStack} with the lake's default
 * names. The stack is synthesised once for all tests (it takes seconds: the CDK runs in Node.js
 * through jsii). Every test asserts a property that is present, by value, so removing the property
 * from the stack fails it; "nothing else" properties are asserted with exact sets and counts.
 */
class LakeStackTest {

    static final DeploymentSettings SETTINGS = DeploymentSettings.defaults();
    static final LakeLayout LAYOUT = new LakeLayout(SETTINGS.buckets());
    static final QueueNames QUEUES = SETTINGS.queues();
    static final RunId RUN = RunId.newRun(Instant.parse("2026-01-21T12:00:00Z"));
    static final LocalDate DAY = LocalDate.of(2026, 1, 21);
    static final Map<String, Object> TLS_ONLY = Map.of("Bool", Map.of("aws:SecureTransport", "false"));

    static LakeStack stack;
    static Template template;
    static Map<String, Object> json;
    static SynthesisedPolicies policies;
    static final Map<LakeServiceSpec, String> ROLE = new EnumMap<>(LakeServiceSpec.class);

    @BeforeAll
    static void synthesise() {
        long start = System.nanoTime();
        stack = new LakeStack(new App(), LakeCdkApp.STACK_NAME, StackProps.builder().build(), SETTINGS);
        template = Template.fromStack(stack);
        json = template.toJSON();
        policies = new SynthesisedPolicies(json);
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            ROLE.put(spec, logicalId(stack.services().taskRole(spec)));
        }
        System.out.printf("LakeStack synthesised in %d ms (%d resources)%n",
                (System.nanoTime() - start) / 1_000_000, resources().size());
    }

    // ---- Buckets ----------------------------------------------------------------------------

    @Test
    void everyBucketIsVersionedWithPublicAccessBlocked() {
        template.resourceCountIs("AWS::S3::Bucket", 6); // five layers and the trail's bucket
        template.resourcePropertiesCountIs("AWS::S3::Bucket", Match.objectLike(Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true))), 6);
    }

    @Test
    void everyBucketRefusesRequestsWithoutTls() {
        for (String bucket : template.findResources("AWS::S3::Bucket").keySet()) {
            template.hasResourceProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                    "Bucket", Map.of("Ref", bucket),
                    "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny", "Action", "s3:*", "Principal", Map.of("AWS", "*"),
                            "Condition", TLS_ONLY)))))))));
        }
    }

    @Test
    void bronzeAloneHasObjectLockWithGovernanceRetention() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketName", SETTINGS.buckets().bronze(),
                "ObjectLockEnabled", true,
                "ObjectLockConfiguration", Map.of("ObjectLockEnabled", "Enabled", "Rule", Map.of("DefaultRetention",
                        Map.of("Mode", "GOVERNANCE", "Days", DeploymentSettings.DEFAULT_BRONZE_LOCK_DAYS))))));
        template.resourcePropertiesCountIs("AWS::S3::Bucket", Match.objectLike(Map.of("ObjectLockEnabled", true)), 1);
    }

    @Test
    void goldAndQuarantineAreEncryptedWithTheirOwnRotatingCustomerKeys() {
        Set<String> keys = new HashSet<>();
        for (Layer layer : List.of(Layer.GOLD, Layer.QUARANTINE)) {
            String key = logicalId(stack.storage().key(layer).orElseThrow());
            keys.add(key);
            template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                    "BucketName", bucketName(layer),
                    "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                            "BucketKeyEnabled", true,
                            "ServerSideEncryptionByDefault", Map.of(
                                    "SSEAlgorithm", "aws:kms",
                                    "KMSMasterKeyID", Map.of("Fn::GetAtt", List.of(key, "Arn")))))))));
            assertThat(resource(key)).containsEntry("Type", "AWS::KMS::Key");
            assertThat(properties(key)).containsEntry("EnableKeyRotation", true);
        }
        assertThat(keys).hasSize(2);
        template.resourceCountIs("AWS::KMS::Key", 2);
        template.resourcePropertiesCountIs("AWS::S3::Bucket", Match.objectLike(Map.of("BucketEncryption", Map.of(
                "ServerSideEncryptionConfiguration", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "ServerSideEncryptionByDefault", Match.objectLike(Map.of("SSEAlgorithm", "aws:kms"))))))))), 2);
    }

    @Test
    void theOtherBucketsUseSseS3() {
        for (Layer layer : List.of(Layer.LANDING, Layer.BRONZE, Layer.SILVER)) {
            template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                    "BucketName", bucketName(layer),
                    "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                            "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))))));
        }
    }

    @Test
    void quarantineRowsGoToGlacierAfter90DaysAndCondemnedRowsAfterFiveYears() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "BucketName", SETTINGS.buckets().quarantine(),
                "LifecycleConfiguration", Map.of("Rules", List.of(
                        Map.of("Id", "QuarantineRowsToGlacier", "Status", "Enabled",
                                "Prefix", "quarantine/mortgages/transactions/ingest_date=",
                                "Transitions", List.of(Map.of("StorageClass", "GLACIER", "TransitionInDays", 90))),
                        Map.of("Id", "CondemnedRowsToGlacier", "Status", "Enabled",
                                "Prefix", "quarantine/mortgages/transactions/condemned/",
                                "Transitions", List.of(Map.of("StorageClass", "GLACIER", "TransitionInDays", 1825))))))));

        // The prefixes are the keys the lake really writes; they do not overlap; the ledger stays in Standard.
        String invalidRows = LAYOUT.invalidRows(DAY, RUN).key();
        String condemned = LAYOUT.condemnedRows(DAY, RUN).key();
        String ledger = LAYOUT.ledgerBatch(RUN).key();
        assertThat(invalidRows).startsWith(LakeStorage.QUARANTINE_ROWS_PREFIX).doesNotStartWith(LakeStorage.CONDEMNED_PREFIX);
        assertThat(condemned).startsWith(LakeStorage.CONDEMNED_PREFIX).doesNotStartWith(LakeStorage.QUARANTINE_ROWS_PREFIX);
        assertThat(ledger).doesNotStartWith(LakeStorage.QUARANTINE_ROWS_PREFIX).doesNotStartWith(LakeStorage.CONDEMNED_PREFIX);
    }

    @Test
    @SuppressWarnings("unchecked")
    void nothingExpiresInAnyBucket() {
        List<Map<String, Object>> rules = new ArrayList<>();
        template.findResources("AWS::S3::Bucket").values().forEach(bucket -> {
            Map<String, Object> props = (Map<String, Object>) bucket.get("Properties");
            Map<String, Object> lifecycle = (Map<String, Object>) props.getOrDefault("LifecycleConfiguration", Map.of());
            SynthesisedPolicies.asList(lifecycle.get("Rules")).forEach(rule -> rules.add((Map<String, Object>) rule));
        });
        assertThat(rules).as("lifecycle rules in the template").hasSize(2);
        for (Map<String, Object> rule : rules) {
            assertThat(rule).doesNotContainKeys("ExpirationInDays", "ExpirationDate", "ExpiredObjectDeleteMarker",
                    "NoncurrentVersionExpiration", "NoncurrentVersionExpirationInDays", "ObjectSizeGreaterThan");
        }
    }

    // ---- Queues -----------------------------------------------------------------------------

    @Test
    void everyQueueHasItsDeadLetterQueueWithRedriveAfterFiveReceives() {
        List<LakeTopology.QueueSpec> specs = SETTINGS.topology().queues();
        assertThat(specs).hasSize(6);
        for (LakeTopology.QueueSpec spec : specs) {
            String dlq = logicalIdWith("AWS::SQS::Queue", Map.of("QueueName", spec.deadLetterQueue()));
            template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                    "QueueName", spec.name(),
                    "SqsManagedSseEnabled", true,
                    "VisibilityTimeout", LakeTopology.DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
                    "RedrivePolicy", Map.of("deadLetterTargetArn", Map.of("Fn::GetAtt", List.of(dlq, "Arn")),
                            "maxReceiveCount", 5))));
            template.hasResourceProperties("AWS::SQS::Queue", Match.objectLike(Map.of(
                    "QueueName", spec.deadLetterQueue(),
                    "SqsManagedSseEnabled", true,
                    "MessageRetentionPeriod", 14 * 24 * 3600,
                    "RedrivePolicy", Match.absent())));
        }
        template.resourceCountIs("AWS::SQS::Queue", 12);
        template.resourcePropertiesCountIs("AWS::SQS::Queue", Match.objectLike(Map.of("SqsManagedSseEnabled", true)), 12);
        template.resourcePropertiesCountIs("AWS::SQS::Queue", Match.objectLike(Map.of("RedrivePolicy",
                Match.objectLike(Map.of("maxReceiveCount", 5)))), 6);
    }

    @Test
    void everyQueueRefusesRequestsWithoutTls() {
        template.resourcePropertiesCountIs("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Action", "sqs:*", "Condition", TLS_ONLY)))))))), 12);
    }

    @Test
    void landingObjectsCreatedUnderIncomingAreNotifiedToTheLandingQueue() {
        String landingQueue = logicalId(stack.queues().queue(QUEUES.landing()));
        String landingBucket = logicalId(stack.storage().bucket(Layer.LANDING));
        template.hasResourceProperties("Custom::S3BucketNotifications", Match.objectLike(Map.of(
                "BucketName", Map.of("Ref", landingBucket),
                "NotificationConfiguration", Map.of("QueueConfigurations", List.of(Map.of(
                        "Events", List.of("s3:ObjectCreated:*"),
                        "Filter", Map.of("Key", Map.of("FilterRules", List.of(Map.of("Name", "prefix", "Value", "incoming/")))),
                        "QueueArn", Map.of("Fn::GetAtt", List.of(landingQueue, "Arn"))))))));
        // S3 may send to the landing queue, and only from the landing bucket.
        template.hasResourceProperties("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "Queues", List.of(Map.of("Ref", landingQueue)),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Allow", "Principal", Map.of("Service", "s3.amazonaws.com"),
                        "Action", Match.arrayWith(List.of("sqs:SendMessage")),
                        "Condition", Map.of("ArnLike", Map.of("aws:SourceArn", Map.of("Fn::GetAtt", List.of(landingBucket, "Arn")))))))))))));
    }

    // ---- IAM --------------------------------------------------------------------------------

    @Test
    void onlyPublishServiceMayWriteLatestJsonAndTheSilverTableDocuments() {
        String root = LAYOUT.silverTableRoot(SilverSchemaV1.SCHEMA_VERSION);
        for (String key : List.of(root + LakeLayout.LATEST_POINTER, root + "_versions/v00000000000000000001.json",
                root + "_held/run_id=" + RUN + ".json")) {
            assertThat(writers(Layer.SILVER, key)).as(key).containsExactly(ROLE.get(LakeServiceSpec.PUBLISH));
        }
    }

    @Test
    void onlyPublishServiceMayWriteGold() {
        for (String dataset : LakeCatalog.GOLD_COLUMNS.keySet()) {
            String root = LAYOUT.goldTableRoot(dataset, "v1");
            for (String key : List.of(root + LakeLayout.LATEST_POINTER, root + "current/as_of_month=2024-03/part-00000.parquet")) {
                assertThat(writers(Layer.GOLD, key)).as(key).containsExactly(ROLE.get(LakeServiceSpec.PUBLISH));
            }
        }
    }

    @Test
    void onlyIngestServiceMayWriteBronze() {
        for (String key : List.of(LAYOUT.bronzeFile(DAY, RUN, "transactions.csv").key(), LAYOUT.contentClaim("ab12").key(),
                LAYOUT.contentEmitted("ab12").key(), LAYOUT.landingHandled("cd34").key(),
                LAYOUT.duplicateLanding("ab12", "cd34").key())) {
            assertThat(writers(Layer.BRONZE, key)).as(key).containsExactly(ROLE.get(LakeServiceSpec.INGEST));
        }
    }

    @Test
    void onlyValidationServiceMayWriteSilverDataRunRecordsAndQuarantineRows() {
        YearMonth month = YearMonth.of(2026, 1);
        String v = SilverSchemaV1.SCHEMA_VERSION;
        for (String key : List.of(LAYOUT.silverPart(month, v, RUN, 0).key(), LAYOUT.silverManifest(month, v, RUN).key(),
                LAYOUT.silverSuccess(month, v, RUN).key(), LAYOUT.validationRecord(RUN).key())) {
            assertThat(writers(Layer.SILVER, key)).as(key).containsExactly(ROLE.get(LakeServiceSpec.VALIDATION));
        }
        for (String key : List.of(LAYOUT.invalidRows(DAY, RUN).key(), LAYOUT.fileRejection(DAY, RUN).key(),
                LAYOUT.condemnedRows(DAY, RUN).key())) {
            assertThat(writers(Layer.QUARANTINE, key)).as(key).containsExactly(ROLE.get(LakeServiceSpec.VALIDATION));
        }
    }

    @Test
    void onlyRetryServiceMayWriteTheQuarantineLedger() {
        assertThat(writers(Layer.QUARANTINE, LAYOUT.ledgerBatch(RUN).key())).containsExactly(ROLE.get(LakeServiceSpec.RETRY));
    }

    @Test
    void onlyIngestServiceMayReadLandingAndNoServiceMayWriteIt() {
        String arn = objectArn(bucketName(Layer.LANDING), SETTINGS.landingPrefix() + "transactions.csv");
        assertThat(policies.rolesAllowed("s3:GetObject", arn)).containsExactly(ROLE.get(LakeServiceSpec.INGEST));
        assertThat(policies.rolesAllowed("s3:PutObject", arn)).isEmpty();
    }

    @Test
    void eachTaskRoleWritesExactlyItsOwnPrefixes() {
        Map<LakeServiceSpec, Set<String>> expected = new EnumMap<>(LakeServiceSpec.class);
        expected.put(LakeServiceSpec.INGEST, Set.of(objectArn("lake-bronze", "bronze/*")));
        expected.put(LakeServiceSpec.VALIDATION, Set.of(
                objectArn("lake-silver", "silver/mortgages/transactions/year=*"),
                objectArn("lake-silver", "silver/_runs/mortgages/transactions/*"),
                objectArn("lake-silver", "silver/_index/mortgages/transactions/*"),
                objectArn("lake-quarantine", "quarantine/mortgages/transactions/*")));
        expected.put(LakeServiceSpec.RETRY, Set.of(objectArn("lake-quarantine", "quarantine/_ledger/mortgages/transactions/*"),
                objectArn("lake-quarantine", "quarantine/_audit/mortgages/transactions/*")));
        expected.put(LakeServiceSpec.PUBLISH, Set.of(
                objectArn("lake-silver", "silver/mortgages/transactions/_table/*"), objectArn("lake-gold", "gold/*")));
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            Set<String> writable = new TreeSet<>();
            for (SynthesisedPolicies.Grant grant : policies.grants()) {
                boolean put = grant.actions().stream().anyMatch(a -> SynthesisedPolicies.glob(a, true).matcher("s3:PutObject").matches());
                if (put && grant.roles().contains(ROLE.get(spec))) {
                    writable.addAll(grant.resources());
                }
            }
            assertThat(writable).as(spec.serviceName()).containsExactlyInAnyOrderElementsOf(expected.get(spec));
        }
    }

    @Test
    void customerKeysAreUsableOnlyByTheServicesThatTouchTheirBuckets() {
        String gold = SynthesisedPolicies.keyArn(logicalId(stack.storage().key(Layer.GOLD).orElseThrow()));
        String quarantine = SynthesisedPolicies.keyArn(logicalId(stack.storage().key(Layer.QUARANTINE).orElseThrow()));
        for (String action : List.of("kms:GenerateDataKey", "kms:Decrypt")) {
            assertThat(policies.rolesAllowed(action, gold)).containsExactly(ROLE.get(LakeServiceSpec.PUBLISH));
            assertThat(policies.rolesAllowed(action, quarantine))
                    .containsExactlyInAnyOrder(ROLE.get(LakeServiceSpec.VALIDATION), ROLE.get(LakeServiceSpec.RETRY));
        }
    }

    @Test
    void eachServiceMayConsumeOnlyItsQueueAndSendOnlyToItsOutgoingQueues() {
        Map<String, Set<LakeServiceSpec>> consumers = new LinkedHashMap<>();
        Map<String, Set<LakeServiceSpec>> senders = new LinkedHashMap<>();
        consumers.put(QUEUES.landing(), Set.of(LakeServiceSpec.INGEST));
        consumers.put(QUEUES.fileLanded(), Set.of(LakeServiceSpec.VALIDATION));
        consumers.put(QUEUES.runValidatedForPublish(), Set.of(LakeServiceSpec.PUBLISH));
        consumers.put(QUEUES.runValidatedForRetry(), Set.of(LakeServiceSpec.RETRY));
        consumers.put(QUEUES.retryDue(), Set.of(LakeServiceSpec.VALIDATION));
        consumers.put(QUEUES.runPromoted(), Set.of()); // for downstream readers
        senders.put(QUEUES.landing(), Set.of()); // only S3, through the queue policy
        senders.put(QUEUES.fileLanded(), Set.of(LakeServiceSpec.INGEST));
        senders.put(QUEUES.runValidatedForPublish(), Set.of(LakeServiceSpec.VALIDATION));
        senders.put(QUEUES.runValidatedForRetry(), Set.of(LakeServiceSpec.VALIDATION));
        senders.put(QUEUES.retryDue(), Set.of(LakeServiceSpec.RETRY));
        senders.put(QUEUES.runPromoted(), Set.of(LakeServiceSpec.PUBLISH));
        for (String queue : QUEUES.all()) {
            for (String action : List.of("sqs:ReceiveMessage", "sqs:DeleteMessage")) {
                assertThat(policies.rolesAllowed(action, queueArn(queue))).as(action + " " + queue)
                        .containsExactlyInAnyOrderElementsOf(roles(consumers.get(queue)));
            }
            assertThat(policies.rolesAllowed("sqs:SendMessage", queueArn(queue))).as("send " + queue)
                    .containsExactlyInAnyOrderElementsOf(roles(senders.get(queue)));
            String dlq = queue + LakeTopology.DEAD_LETTER_SUFFIX;
            assertThat(policies.rolesAllowed("sqs:ReceiveMessage", queueArn(dlq))).as(dlq).isEmpty();
            assertThat(policies.rolesAllowed("sqs:SendMessage", queueArn(dlq))).as(dlq).isEmpty();
        }
    }

    @Test
    void noAllowStatementHasAWildcardActionOnADataBucket() {
        List<String> bucketArns = new ArrayList<>();
        for (Layer layer : Layer.values()) {
            bucketArns.add("arn:aws:s3:::" + bucketName(layer));
        }
        int onDataBuckets = 0;
        List<Map<String, Object>> offending = new ArrayList<>();
        for (SynthesisedPolicies.Grant grant : allAllowStatements()) {
            // A resource is on a data bucket if it names the bucket, one of its keys, or matches them by wildcard ("*").
            boolean touchesData = grant.resources().stream().anyMatch(r -> bucketArns.stream().anyMatch(bucket ->
                    r.startsWith(bucket + "/")
                            || SynthesisedPolicies.glob(r, false).matcher(bucket).matches()
                            || SynthesisedPolicies.glob(r, false).matcher(bucket + "/any/key").matches()));
            if (touchesData && grant.actions().stream().anyMatch(a -> a.startsWith("s3:") || a.equals("*"))) {
                onDataBuckets++;
                if (grant.actions().stream().anyMatch(SynthesisedPolicies::isWildcardAction)) {
                    offending.add(grant.source());
                }
            }
        }
        assertThat(onDataBuckets).as("Allow statements on the data buckets").isGreaterThanOrEqualTo(4 * 3);
        assertThat(offending).isEmpty();
    }

    @Test
    void taskRolesNameEveryActionTheyUse() {
        List<String> wildcards = new ArrayList<>();
        int statements = 0;
        for (SynthesisedPolicies.Grant grant : policies.grants()) {
            if (grant.roles().stream().anyMatch(ROLE::containsValue)) {
                statements++;
                grant.actions().stream().filter(SynthesisedPolicies::isWildcardAction).forEach(wildcards::add);
            }
        }
        assertThat(statements).isGreaterThanOrEqualTo(4 * 4);
        assertThat(wildcards).isEmpty();
    }

    // ---- ECS --------------------------------------------------------------------------------

    @Test
    void oneFargateServicePerMicroserviceEachWithItsOwnTaskRoleAndLogGroup() {
        template.resourceCountIs("AWS::ECS::Cluster", 1);
        template.resourceCountIs("AWS::ECS::Service", 4);
        template.resourcePropertiesCountIs("AWS::ECS::Service", Match.objectLike(Map.of("LaunchType", "FARGATE")), 4);
        assertThat(new HashSet<>(ROLE.values())).hasSize(4);
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            String logs = logicalIdWith("AWS::Logs::LogGroup", Map.of("LogGroupName", "/mortgage-lake/" + spec.serviceName()));
            template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of(
                    "Family", "mortgage-lake-" + spec.serviceName(),
                    "RequiresCompatibilities", List.of("FARGATE"),
                    "TaskRoleArn", Map.of("Fn::GetAtt", List.of(ROLE.get(spec), "Arn")),
                    "ContainerDefinitions", List.of(Match.objectLike(Map.of(
                            "Name", spec.serviceName(),
                            "LogConfiguration", Match.objectLike(Map.of(
                                    "LogDriver", "awslogs",
                                    "Options", Match.objectLike(Map.of("awslogs-group", Map.of("Ref", logs)))))))))));
            template.hasResourceProperties("AWS::ECS::Service", Match.objectLike(Map.of(
                    "ServiceName", spec.serviceName(),
                    "LaunchType", "FARGATE",
                    "TaskDefinition", Map.of("Ref", logicalIdWith("AWS::ECS::TaskDefinition",
                            Map.of("Family", "mortgage-lake-" + spec.serviceName()))))));
        }
    }

    @Test
    void logGroupsKeepThirtyDays() {
        template.resourceCountIs("AWS::Logs::LogGroup", 4);
        template.resourcePropertiesCountIs("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30)), 4);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachServiceScalesOnTheDepthOfTheQueueItConsumes() {
        template.resourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 4);
        template.resourcePropertiesCountIs("AWS::ApplicationAutoScaling::ScalingPolicy",
                Match.objectLike(Map.of("PolicyType", "StepScaling")), 8);
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            String queue = logicalId(stack.queues().queue(spec.incoming().queue().apply(QUEUES)));
            String service = logicalId(stack.services().service(spec));
            Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "Properties", Match.objectLike(Map.of(
                            "Namespace", "AWS/SQS",
                            "MetricName", "ApproximateNumberOfMessagesVisible",
                            "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(queue, "QueueName")))))))));
            assertThat(alarms).as(spec.serviceName() + " queue-depth alarms").hasSize(2);
            List<Integer> adjustments = new ArrayList<>();
            for (Map<String, Object> alarm : alarms.values()) {
                Map<String, Object> alarmProps = (Map<String, Object>) alarm.get("Properties");
                String policy = (String) ((Map<String, Object>) ((List<Object>) alarmProps.get("AlarmActions")).get(0)).get("Ref");
                Map<String, Object> policyProps = properties(policy);
                String target = (String) ((Map<String, Object>) policyProps.get("ScalingTargetId")).get("Ref");
                Map<String, Object> targetProps = properties(target);
                assertThat(policies.render(targetProps.get("ResourceId"))).as(spec.serviceName()).endsWith("/" + service + ".Name");
                assertThat(targetProps).containsEntry("MinCapacity", spec.minTasks()).containsEntry("MaxCapacity", spec.maxTasks())
                        .containsEntry("ScalableDimension", "ecs:service:DesiredCount");
                Map<String, Object> config = (Map<String, Object>) policyProps.get("StepScalingPolicyConfiguration");
                for (Object step : (List<Object>) config.get("StepAdjustments")) {
                    adjustments.add(((Number) ((Map<String, Object>) step).get("ScalingAdjustment")).intValue());
                }
            }
            assertThat(adjustments).as(spec.serviceName() + " steps").anyMatch(a -> a > 0).anyMatch(a -> a < 0);
        }
    }

    @Test
    void servicesGetBucketAndQueueNamesUnderThePropertiesTheyRead() throws IOException {
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            Map<String, String> env = containerEnvironment(spec);
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of("../../" + spec.serviceName() + "/src/main/resources/application.properties"))) {
                properties.load(in);
            }
            Map<String, String> expected = new LinkedHashMap<>();
            for (String name : properties.stringPropertyNames()) {
                if (name.startsWith("lake.buckets.") || (name.startsWith("mp.messaging.") && name.endsWith(".queue"))) {
                    expected.put(LakeServiceSpec.environmentVariable(name), properties.getProperty(name));
                }
            }
            assertThat(expected).as(spec.serviceName()).hasSizeGreaterThanOrEqualTo(6);
            assertThat(env).as(spec.serviceName()).containsAllEntriesOf(expected);
            Set<String> queueVariables = env.keySet().stream().filter(k -> k.startsWith("MP_MESSAGING_")).collect(Collectors.toSet());
            assertThat(queueVariables).as(spec.serviceName() + ": every queue variable names a channel the service has")
                    .isEqualTo(expected.keySet().stream().filter(k -> k.startsWith("MP_MESSAGING_")).collect(Collectors.toSet()));
        }
        assertThat(containerEnvironment(LakeServiceSpec.INGEST)).containsEntry("LAKE_INGEST_LANDING_PREFIX", "incoming/");
    }

    // ---- Service discovery and the (absent) console ------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void ingestRetryAndPublishAreRegisteredInThePrivateNamespaceAndValidationIsNot() {
        template.resourceCountIs("AWS::ServiceDiscovery::PrivateDnsNamespace", 1);
        String namespace = logicalIdWith("AWS::ServiceDiscovery::PrivateDnsNamespace", Map.of(
                "Name", "lake.internal", "Vpc", Map.of("Ref", logicalId(stack.services().vpc()))));
        template.resourceCountIs("AWS::ServiceDiscovery::Service", 3);
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            Map<String, Object> service = properties(logicalId(stack.services().service(spec)));
            if (!spec.servesOperatorApi()) {
                assertThat(spec).isEqualTo(LakeServiceSpec.VALIDATION);
                assertThat(service).as(spec.serviceName()).doesNotContainKey("ServiceRegistries");
                continue;
            }
            String registry = logicalIdWith("AWS::ServiceDiscovery::Service", Map.of("Name", spec.serviceName()));
            assertThat(properties(registry)).as(spec.serviceName()).containsEntry("DnsConfig", Map.of(
                    "DnsRecords", List.of(Map.of("TTL", 10, "Type", "A")),
                    "NamespaceId", Map.of("Fn::GetAtt", List.of(namespace, "Id")),
                    "RoutingPolicy", "MULTIVALUE"));
            assertThat(service).as(spec.serviceName()).containsEntry("ServiceRegistries",
                    List.of(Map.of("RegistryArn", Map.of("Fn::GetAtt", List.of(registry, "Arn")))));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void withoutAnOidcIssuerThereIsNoConsoleNoLoadBalancerAndNoIngress() {
        assertThat(SETTINGS.console()).isEmpty();
        assertThat(stack.console()).isEmpty();
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 0);
        template.resourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 0);
        template.resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
        template.resourcePropertiesCountIs("AWS::ECS::TaskDefinition",
                Match.objectLike(Map.of("Family", "mortgage-lake-" + LakeConsole.SERVICE_NAME)), 0);
        template.findResources("AWS::EC2::SecurityGroup").forEach((id, sg) -> assertThat(
                ((Map<String, Object>) sg.get("Properties"))).as(id).doesNotContainKey("SecurityGroupIngress"));
        Annotations.fromStack(stack).hasInfo("*", LakeStack.NO_CONSOLE);
        // The services keep their own configuration: nothing can reach their operator APIs.
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            assertThat(containerEnvironment(spec).keySet()).as(spec.serviceName())
                    .noneMatch(k -> k.startsWith("QUARKUS_OIDC_") || k.startsWith("QUARKUS_SECURITY_"));
        }
    }

    // ---- Audit and catalog --------------------------------------------------------------------

    @Test
    @SuppressWarnings("unchecked")
    void cloudTrailRecordsObjectEventsOnGoldAndQuarantine() {
        template.resourceCountIs("AWS::CloudTrail::Trail", 1);
        template.hasResourceProperties("AWS::CloudTrail::Trail", Match.objectLike(Map.of(
                "IsMultiRegionTrail", true, "EnableLogFileValidation", true, "IsLogging", true)));
        Map<String, Object> trail = template.findResources("AWS::CloudTrail::Trail").values().iterator().next();
        List<Object> selectors = (List<Object>) ((Map<String, Object>) trail.get("Properties")).get("EventSelectors");
        Set<String> objects = new TreeSet<>();
        for (Object s : selectors) {
            Map<String, Object> selector = (Map<String, Object>) s;
            assertThat(selector).containsEntry("ReadWriteType", "All");
            for (Object r : (List<Object>) selector.get("DataResources")) {
                Map<String, Object> data = (Map<String, Object>) r;
                assertThat(data).containsEntry("Type", "AWS::S3::Object");
                ((List<Object>) data.get("Values")).forEach(v -> objects.add(policies.render(v)));
            }
        }
        assertThat(objects).containsExactly("arn:aws:s3:::" + bucketName(Layer.GOLD) + "/",
                "arn:aws:s3:::" + bucketName(Layer.QUARANTINE) + "/");
    }

    @Test
    void glueCatalogHasTheFourIcebergTablesAtTheLocationsPublishServiceCommitsTo() {
        template.hasResourceProperties("AWS::Glue::Database", Match.objectLike(Map.of(
                "DatabaseInput", Match.objectLike(Map.of("Name", SETTINGS.glueDatabase())))));
        template.resourceCountIs("AWS::Glue::Table", 8); // four Iceberg, the audit table, three current/ tables
        String database = logicalIdWith("AWS::Glue::Database", Map.of());
        Map<String, String> locations = new LinkedHashMap<>();
        locations.put("silver_transactions", "s3://lake-silver/silver/mortgages/transactions/_table/schema_v=v1/_iceberg");
        for (String dataset : List.of("account_balances", "monthly_reports", "transaction_summaries")) {
            locations.put("gold_" + dataset, "s3://lake-gold/" + LAYOUT.goldTableRoot(dataset, "v1") + "_iceberg");
        }
        assertThat(locations.get("gold_account_balances")).isEqualTo("s3://lake-gold/gold/finance/account_balances/schema_v=v1/_iceberg");
        locations.forEach((name, location) -> {
            String id = icebergTable(name);
            assertThat(properties(id)).as(name).containsEntry("Name", name).containsEntry("DatabaseName", Map.of("Ref", database))
                    .doesNotContainKey("TableInput"); // Glue rejects TableInput beside IcebergTableInput
            Map<String, Object> iceberg = icebergInput(name);
            assertThat(iceberg).as(name).containsEntry("MetadataOperation", "CREATE").containsEntry("Version", "2");
            assertThat(icebergTableInput(name)).as(name).containsEntry("Location", location);
            // The catalog entry points at an audited history: kept when the resource leaves the stack.
            assertThat(resource(id)).as(name).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
            // Glue writes the first metadata.json into the bucket: the bucket exists first.
            assertThat(SynthesisedPolicies.asList(resource(id).get("DependsOn"))).as(name)
                    .contains(logicalId(stack.storage().bucket(name.startsWith("silver") ? Layer.SILVER : Layer.GOLD)));
        });
        // The same definitions publish-service's follower creates or adopts.
        for (var definition : LakeCatalog.icebergTables(SETTINGS)) {
            assertThat(definition.identifier().toString()).isEqualTo(SETTINGS.glueDatabase() + "." + definition.identifier().name());
            assertThat(icebergTableInput(definition.identifier().name())).containsEntry("Location", definition.location());
        }
        assertThat(LakeCatalog.icebergTables(SETTINGS)).extracting(d -> d.identifier().name())
                .containsExactlyElementsOf(locations.keySet());
    }

    @Test
    void silverIcebergTableHasTheSilverSchemaPartitionedByMonthOfTheTransactionTimestamp() {
        Map<String, Object> input = icebergTableInput("silver_transactions");
        assertThat(icebergFields("silver_transactions")).containsExactly(
                icebergField(1, SilverSchemaV1.TRANSACTION_ID, "string"),
                icebergField(2, SilverSchemaV1.CUSTOMER_ID, "string"),
                icebergField(3, SilverSchemaV1.TRANSACTION_AMOUNT, "decimal(18,2)"),
                icebergField(4, SilverSchemaV1.CURRENCY, "string"),
                icebergField(5, SilverSchemaV1.TRANSACTION_TIMESTAMP, "timestamptz"),
                icebergField(6, SilverSchemaV1.RUN_ID, "string"),
                icebergField(7, SilverSchemaV1.SOURCE_LINE, "long"),
                // contract v1.1: optional, so old files read it as null (engines: coalesce(transaction_type, 'UNKNOWN'))
                Map.of("Id", 8, "Name", SilverSchemaV1.TRANSACTION_TYPE, "Required", false, "Type", "string"));
        @SuppressWarnings("unchecked") Map<String, Object> schema = (Map<String, Object>) input.get("Schema");
        assertThat(schema).containsEntry("Type", "struct").containsEntry("SchemaId", 0);
        assertThat(input).containsEntry("PartitionSpec", Map.of("SpecId", 0, "Fields", List.of(Map.of(
                "Name", "transaction_timestamp_month", "SourceId", 5, "Transform", "month", "FieldId", 1000))));
    }

    @Test
    void goldIcebergTablesHaveTheGoldSchemasWithExactDecimalsAndAnIdentityMonthPartition() {
        String money = "decimal(18,2)";
        Map<String, List<Map<String, Object>>> expected = new LinkedHashMap<>();
        expected.put("gold_account_balances", List.of(icebergField(1, "as_of_month", "string"),
                icebergField(2, "account_id", "string"), icebergField(3, "currency", "string"), icebergField(4, "closing_balance", money),
                icebergField(5, "net_change", money), icebergField(6, "transaction_count", "long"),
                icebergField(7, "last_transaction_at", "timestamptz")));
        expected.put("gold_monthly_reports", List.of(icebergField(1, "as_of_month", "string"),
                icebergField(2, "currency", "string"), icebergField(3, "transaction_count", "long"), icebergField(4, "active_accounts", "long"),
                icebergField(5, "total_credits", money), icebergField(6, "total_debits", money), icebergField(7, "net_amount", money),
                icebergField(8, "closing_balance_total", money), icebergField(9, "accounts_with_balance", "long")));
        expected.put("gold_transaction_summaries", List.of(icebergField(1, "as_of_month", "string"),
                icebergField(2, "currency", "string"), icebergField(3, "transaction_type", "string"), icebergField(4, "transaction_count", "long"),
                icebergField(5, "total_amount", money), icebergField(6, "min_amount", money), icebergField(7, "max_amount", money),
                icebergField(8, "avg_amount", "decimal(20,4)")));
        expected.forEach((name, fields) -> {
            assertThat(icebergFields(name)).as(name).containsExactlyElementsOf(fields);
            assertThat(icebergTableInput(name)).as(name).containsEntry("PartitionSpec", Map.of("SpecId", 0, "Fields", List.of(Map.of(
                    "Name", "as_of_month", "SourceId", 1, "Transform", "identity", "FieldId", 1000))));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void icebergTablesCarryTheLakesPerpetualRetentionPropertiesAndSayWhatTheyGuarantee() {
        for (String name : List.of("silver_transactions", "gold_account_balances", "gold_monthly_reports", "gold_transaction_summaries")) {
            Map<String, String> properties = (Map<String, String>) icebergTableInput(name).get("Properties");
            Map<String, String> lake = new LinkedHashMap<>(dev.mortgagelake.iceberg.LakeIcebergTables.PROPERTIES);
            assertThat(lake.remove("format-version")).isEqualTo("2"); // IcebergInput.Version
            assertThat(properties).as(name).containsAllEntriesOf(lake).containsEntry("gc.enabled", "false")
                    .containsEntry("history.expire.max-snapshot-age-ms", Long.toString(Long.MAX_VALUE))
                    .doesNotContainKey("format-version");
            assertThat(properties.keySet()).as(name).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.Stream.concat(lake.keySet().stream(), java.util.stream.Stream.of("comment")).toList());
            assertThat(properties.get("comment")).as(name).contains("exactly the published snapshot").contains("FOR VERSION AS OF");
        }
    }

    @Test
    void theHiveStyleSilverTableOverEveryRunIsTheExplicitlyNamedAuditTable() {
        template.hasResourceProperties("AWS::Glue::Table", Match.objectLike(Map.of("TableInput", Match.objectLike(Map.of(
                "Name", LakeCatalog.SILVER_ALL_RUNS_TABLE,
                "Description", Match.stringLikeRegexp(".*every validated run: held, rejected, superseded and rolled back runs included\\."
                        + " For audit, not for analysis.*"),
                "TableType", "EXTERNAL_TABLE",
                "PartitionKeys", List.of(column("year", "string"), column("month", "string"),
                        column("schema_v", "string"), column("run_id", "string")),
                "StorageDescriptor", Match.objectLike(Map.of(
                        "SerdeInfo", Map.of("SerializationLibrary", LakeCatalog.PARQUET_SERDE),
                        "Columns", List.of(
                                column(SilverSchemaV1.TRANSACTION_ID, "string"),
                                column(SilverSchemaV1.CUSTOMER_ID, "string"),
                                column(SilverSchemaV1.TRANSACTION_AMOUNT, "decimal(18,2)"),
                                column(SilverSchemaV1.CURRENCY, "string"),
                                column(SilverSchemaV1.TRANSACTION_TIMESTAMP, "timestamp"),
                                column(SilverSchemaV1.SOURCE_LINE, "bigint"),
                                column(SilverSchemaV1.TRANSACTION_TYPE, "string")))))))));
        assertThat(LakeCatalog.SILVER_ALL_RUNS_TABLE).isEqualTo("silver_transactions_all_runs");
        // No Hive-style table is named like the Iceberg tables analysts query.
        template.resourcePropertiesCountIs("AWS::Glue::Table", Match.objectLike(Map.of("TableInput", Match.objectLike(Map.of(
                "Name", Match.stringLikeRegexp("^(silver_transactions|gold_account_balances|gold_monthly_reports|gold_transaction_summaries)$"))))), 0);
    }

    @Test
    void goldCurrentTablesStayForReadersWithoutIcebergWithExactDecimals() {
        Map<String, List<Map<String, Object>>> moneyColumns = Map.of(
                "account_balances", List.of(column("closing_balance", "decimal(18,2)"), column("net_change", "decimal(18,2)")),
                "monthly_reports", List.of(column("total_credits", "decimal(18,2)"), column("total_debits", "decimal(18,2)"),
                        column("net_amount", "decimal(18,2)"), column("closing_balance_total", "decimal(18,2)")),
                "transaction_summaries", List.of(column("total_amount", "decimal(18,2)"), column("min_amount", "decimal(18,2)"),
                        column("max_amount", "decimal(18,2)"), column("avg_amount", "decimal(20,4)")));
        moneyColumns.forEach((dataset, columns) -> {
            String name = "gold_" + dataset + "_current";
            template.hasResourceProperties("AWS::Glue::Table", Match.objectLike(Map.of(
                    "TableInput", Match.objectLike(Map.of(
                            "Name", name,
                            "Description", Match.stringLikeRegexp(".*current/ copy, for readers that cannot read Iceberg.*"),
                            "PartitionKeys", List.of(column("as_of_month", "string")),
                            "Parameters", Match.objectLike(Map.of("projection.enabled", "true", "projection.as_of_month.type", "date",
                                    "projection.as_of_month.format", "yyyy-MM")),
                            "StorageDescriptor", Match.objectLike(Map.of("Columns", Match.arrayWith(columns))))))));
            Map<String, Object> input = hiveTableInput(name);
            String current = "s3://lake-gold/" + LAYOUT.goldCurrentPrefix(dataset, "v1");
            assertThat(policies.render(((Map<?, ?>) input.get("StorageDescriptor")).get("Location"))).as(name).isEqualTo(current);
            assertThat(policies.render(((Map<?, ?>) input.get("Parameters")).get("storage.location.template"))).as(name)
                    .isEqualTo(current + "as_of_month=${as_of_month}/");
        });
    }

    // ---- Glue access --------------------------------------------------------------------------

    @Test
    void publishServiceHasExactlyTheGlueCatalogActionsOnTheLakesDatabaseAndItsIcebergTables() {
        String db = SETTINGS.glueDatabase();
        String publish = ROLE.get(LakeServiceSpec.PUBLISH);
        Map<String, Set<String>> resourcesByAction = new java.util.TreeMap<>();
        for (SynthesisedPolicies.Grant grant : policies.grants()) {
            if (grant.roles().contains(publish)) {
                grant.actions().stream().filter(a -> lowerCase(a).startsWith("glue:"))
                        .forEach(a -> resourcesByAction.computeIfAbsent(a, k -> new TreeSet<>()).addAll(grant.resources()));
            }
        }
        Set<String> icebergTables = Set.of(glueArn("table/" + db + "/silver_transactions"), glueArn("table/" + db + "/gold_account_balances"),
                glueArn("table/" + db + "/gold_monthly_reports"), glueArn("table/" + db + "/gold_transaction_summaries"));
        Set<String> read = Set.of(glueArn("catalog"), glueArn("database/" + db), glueArn("table/" + db + "/*"));
        Set<String> commit = new TreeSet<>(icebergTables);
        commit.addAll(Set.of(glueArn("catalog"), glueArn("database/" + db)));
        assertThat(resourcesByAction).containsOnlyKeys("glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable",
                "glue:UpdateTable");
        for (String action : List.of("glue:GetDatabase", "glue:GetTable", "glue:GetTables")) {
            assertThat(resourcesByAction.get(action)).as(action).containsExactlyInAnyOrderElementsOf(read);
        }
        for (String action : List.of("glue:CreateTable", "glue:UpdateTable")) {
            assertThat(resourcesByAction.get(action)).as(action).containsExactlyInAnyOrderElementsOf(commit);
        }
        for (String table : icebergTables) {
            assertThat(policies.rolesAllowed("glue:UpdateTable", table)).as(table).containsExactly(publish);
            assertThat(policies.rolesAllowed("glue:GetTable", table)).as(table).containsExactly(publish);
        }
        // Never a table dropped, never the audit or current/ tables rewritten, nothing outside the lake's database.
        for (String table : List.of("silver_transactions", LakeCatalog.SILVER_ALL_RUNS_TABLE, "gold_account_balances_current")) {
            assertThat(policies.rolesAllowed("glue:DeleteTable", glueArn("table/" + db + "/" + table))).as(table).isEmpty();
        }
        assertThat(policies.rolesAllowed("glue:UpdateTable", glueArn("table/" + db + "/" + LakeCatalog.SILVER_ALL_RUNS_TABLE))).isEmpty();
        assertThat(policies.rolesAllowed("glue:UpdateTable", glueArn("table/" + db + "/gold_monthly_reports_current"))).isEmpty();
        assertThat(policies.rolesAllowed("glue:GetTable", glueArn("table/other_db/silver_transactions"))).isEmpty();
        assertThat(policies.rolesAllowed("glue:CreateTable", glueArn("table/other_db/silver_transactions"))).isEmpty();
    }

    @Test
    void noOtherServiceHasAnyGlueAccess() {
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            if (spec == LakeServiceSpec.PUBLISH) {
                continue;
            }
            List<String> glue = new ArrayList<>();
            for (SynthesisedPolicies.Grant grant : policies.grants()) {
                if (grant.roles().contains(ROLE.get(spec))) {
                    grant.actions().stream().filter(a -> lowerCase(a).startsWith("glue:") || a.equals("*")).forEach(glue::add);
                }
            }
            assertThat(glue).as(spec.serviceName()).isEmpty();
        }
        String table = glueArn("table/" + SETTINGS.glueDatabase() + "/silver_transactions");
        for (String action : List.of("glue:CreateTable", "glue:UpdateTable", "glue:DeleteTable", "glue:GetTable")) {
            assertThat(policies.rolesAllowed(action, table)).as(action).isSubsetOf(ROLE.get(LakeServiceSpec.PUBLISH));
        }
    }

    @Test
    void publishServiceWritesTheIcebergMetadataOfEveryTableWithItsExistingObjectGrants() {
        for (var definition : LakeCatalog.icebergTables(SETTINGS)) {
            String location = definition.location();
            String bucket = location.substring("s3://".length(), location.indexOf('/', "s3://".length()));
            String key = location.substring(("s3://" + bucket + "/").length()) + "/metadata/00001-0f1e.metadata.json";
            String manifest = location.substring(("s3://" + bucket + "/").length()) + "/metadata/snap-1-1-0f1e.avro";
            for (String k : List.of(key, manifest)) {
                assertThat(policies.rolesAllowed("s3:PutObject", objectArn(bucket, k))).as(k)
                        .containsExactly(ROLE.get(LakeServiceSpec.PUBLISH));
                assertThat(policies.rolesAllowed("s3:GetObject", objectArn(bucket, k))).as(k).contains(ROLE.get(LakeServiceSpec.PUBLISH));
            }
        }
    }

    @Test
    void publishServiceCommitsThroughTheGlueCatalogIntoTheLakesDatabase() throws IOException {
        Map<String, String> env = containerEnvironment(LakeServiceSpec.PUBLISH);
        assertThat(env).containsEntry("LAKE_PUBLISH_ICEBERG_CATALOG", "glue")
                .containsEntry("LAKE_PUBLISH_ICEBERG_WAREHOUSE", "s3://lake-silver/_iceberg-warehouse")
                .containsEntry("LAKE_PUBLISH_ICEBERG_NAMESPACE", SETTINGS.glueDatabase());
        // The variables are the ones SmallRye maps to publish-service's PublishConfig.Iceberg properties.
        assertThat(LakeServiceSpec.environmentVariable(LakeServices.ICEBERG_CATALOG_PROPERTY)).isEqualTo("LAKE_PUBLISH_ICEBERG_CATALOG");
        assertThat(LakeServiceSpec.environmentVariable(LakeServices.ICEBERG_WAREHOUSE_PROPERTY)).isEqualTo("LAKE_PUBLISH_ICEBERG_WAREHOUSE");
        assertThat(LakeServiceSpec.environmentVariable(LakeServices.ICEBERG_NAMESPACE_PROPERTY)).isEqualTo("LAKE_PUBLISH_ICEBERG_NAMESPACE");
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("../../publish-service/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        assertThat(properties.stringPropertyNames()).contains(LakeServices.ICEBERG_CATALOG_PROPERTY, LakeServices.ICEBERG_NAMESPACE_PROPERTY);
        String config = Files.readString(Path.of("../../publish-service/src/main/java/dev/mortgagelake/service/publish/PublishConfig.java"));
        assertThat(config).as("the warehouse is publish-service's own default, stated")
                .contains("@WithDefault(\"s3://${lake.buckets.silver}/_iceberg-warehouse\")").contains("String warehouse()");
        for (LakeServiceSpec spec : LakeServiceSpec.values()) {
            if (spec != LakeServiceSpec.PUBLISH) {
                assertThat(containerEnvironment(spec).keySet()).as(spec.serviceName()).noneMatch(k -> k.startsWith("LAKE_PUBLISH_ICEBERG_"));
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    static String glueArn(String resource) {
        return "arn:" + SynthesisedPolicies.PARTITION + ":glue:" + SynthesisedPolicies.REGION + ":" + SynthesisedPolicies.ACCOUNT + ":" + resource;
    }

    static String lowerCase(String s) {
        return SynthesisedPolicies.lower(s);
    }

    /** The logical id of the Iceberg table {@code name} (declared by {@code OpenTableFormatInput}, name at the top level). */
    static String icebergTable(String name) {
        Map<String, Map<String, Object>> found = template.findResources("AWS::Glue::Table",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Name", name, "OpenTableFormatInput", Match.anyValue())))));
        assertThat(found).as("Iceberg table " + name).hasSize(1);
        return found.keySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> hiveTableInput(String name) {
        Map<String, Map<String, Object>> found = template.findResources("AWS::Glue::Table", Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of("TableInput", Match.objectLike(Map.of("Name", name)))))));
        assertThat(found).as("Hive-style table " + name).hasSize(1);
        return (Map<String, Object>) ((Map<String, Object>) found.values().iterator().next().get("Properties")).get("TableInput");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> icebergInput(String name) {
        Map<String, Object> format = (Map<String, Object>) properties(icebergTable(name)).get("OpenTableFormatInput");
        return (Map<String, Object>) format.get("IcebergInput");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> icebergTableInput(String name) {
        return (Map<String, Object>) icebergInput(name).get("IcebergTableInput");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> icebergFields(String name) {
        Map<String, Object> schema = (Map<String, Object>) icebergTableInput(name).get("Schema");
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Object field : (List<Object>) schema.get("Fields")) {
            Map<String, Object> f = new LinkedHashMap<>((Map<String, Object>) field);
            f.remove("Doc");
            fields.add(f);
        }
        return fields;
    }

    /** Every lake column is required (a row with a missing value is never valid; Gold's month is its partition). */
    static Map<String, Object> icebergField(int id, String name, String type) {
        return Map.of("Id", id, "Name", name, "Required", true, "Type", type);
    }

    static String logicalId(IConstruct construct) {
        return (String) stack.resolve(stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild()));
    }

    static String bucketName(Layer layer) {
        return switch (layer) {
            case LANDING -> SETTINGS.buckets().landing();
            case BRONZE -> SETTINGS.buckets().bronze();
            case SILVER -> SETTINGS.buckets().silver();
            case GOLD -> SETTINGS.buckets().gold();
            case QUARANTINE -> SETTINGS.buckets().quarantine();
        };
    }

    static Set<String> writers(Layer layer, String key) {
        return policies.rolesAllowed("s3:PutObject", objectArn(bucketName(layer), key));
    }

    static Set<String> roles(Set<LakeServiceSpec> specs) {
        return specs.stream().map(ROLE::get).collect(Collectors.toSet());
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

    @SuppressWarnings("unchecked")
    static Map<String, String> containerEnvironment(LakeServiceSpec spec) {
        String task = logicalIdWith("AWS::ECS::TaskDefinition", Map.of("Family", "mortgage-lake-" + spec.serviceName()));
        Map<String, Object> container = (Map<String, Object>) ((List<Object>) properties(task).get("ContainerDefinitions")).get(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (Object e : (List<Object>) container.get("Environment")) {
            Map<String, Object> entry = (Map<String, Object>) e;
            env.put((String) entry.get("Name"), (String) entry.get("Value"));
        }
        return env;
    }

    static Map<String, Object> column(String name, String type) {
        return Map.of("Name", name, "Type", type);
    }

    /** Allow statements of identity policies and of bucket and queue resource policies. */
    @SuppressWarnings("unchecked")
    static List<SynthesisedPolicies.Grant> allAllowStatements() {
        List<SynthesisedPolicies.Grant> all = new ArrayList<>(policies.grants());
        resources().forEach((id, value) -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            String type = (String) resource.get("Type");
            if (type.equals("AWS::S3::BucketPolicy") || type.equals("AWS::SQS::QueuePolicy")) {
                Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) resource.get("Properties")).get("PolicyDocument");
                for (Object s : SynthesisedPolicies.asList(document.get("Statement"))) {
                    Map<String, Object> statement = (Map<String, Object>) s;
                    if ("Allow".equals(statement.get("Effect"))) {
                        all.add(new SynthesisedPolicies.Grant(Set.of(id),
                                SynthesisedPolicies.asList(statement.get("Action")).stream().map(a -> (String) a).toList(),
                                SynthesisedPolicies.asList(statement.get("Resource")).stream().map(policies::render).toList(),
                                statement));
                    }
                }
            }
        });
        return all;
    }

    @Test
    void everyQueueAndDeadLetterQueueHasAnOldestMessageAgeAlarmAndEveryDeadLetterQueueANotEmptyAlarm() {
        Map<String, Map<String, Object>> alarms = template.findResources("AWS::CloudWatch::Alarm");
        long ageAlarms = alarms.values().stream()
                .map(r -> (Map<?, ?>) r.get("Properties"))
                .filter(p -> "ApproximateAgeOfOldestMessage".equals(p.get("MetricName")) && "AWS/SQS".equals(p.get("Namespace")))
                .count();
        long deadLetterAlarms = alarms.values().stream()
                .map(r -> (Map<?, ?>) r.get("Properties"))
                .filter(p -> "ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))
                        && String.valueOf(p.get("AlarmName")).endsWith("-dlq-not-empty"))
                .count();
        int queues = dev.mortgagelake.topology.LakeTopology.QueueNames.defaults().all().size();

        assertThat(ageAlarms).isEqualTo(2L * queues);
        assertThat(deadLetterAlarms).isEqualTo(queues);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", "lake-file-landed-oldest-message-age",
                "MetricName", "ApproximateAgeOfOldestMessage",
                "Threshold", 900,
                "ComparisonOperator", "GreaterThanThreshold")));
    }

    /** The Glue Gold columns come from the Gold writers' schemas; they must be the Gold v1 columns, names and types as listed here. */
    @Test
    void goldTableColumnsDerivedFromTheWritersAreTheGoldV1Columns() {
        String money = "decimal(18,2)";
        assertThat(LakeCatalog.GOLD_COLUMNS.get("account_balances")).containsExactly(
                Map.entry("account_id", "string"), Map.entry("currency", "string"), Map.entry("closing_balance", money),
                Map.entry("net_change", money), Map.entry("transaction_count", "bigint"), Map.entry("last_transaction_at", "timestamp"));
        assertThat(LakeCatalog.GOLD_COLUMNS.get("monthly_reports")).containsExactly(
                Map.entry("currency", "string"), Map.entry("transaction_count", "bigint"), Map.entry("active_accounts", "bigint"),
                Map.entry("total_credits", money), Map.entry("total_debits", money), Map.entry("net_amount", money),
                Map.entry("closing_balance_total", money), Map.entry("accounts_with_balance", "bigint"));
        assertThat(LakeCatalog.GOLD_COLUMNS.get("transaction_summaries")).containsExactly(
                Map.entry("currency", "string"), Map.entry("transaction_type", "string"), Map.entry("transaction_count", "bigint"),
                Map.entry("total_amount", money), Map.entry("min_amount", money), Map.entry("max_amount", money),
                Map.entry("avg_amount", "decimal(20,4)"));
    }
}
