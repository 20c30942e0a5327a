package dev.mortgagelake.aws.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.aws.EmbeddedServers;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.topology.LakeTopology;
import dev.mortgagelake.topology.LakeTopology.QueueNames;
import dev.mortgagelake.topology.LakeTopology.QueueSpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TopologyApplier} against the embedded servers. */
class TopologyApplierTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3 = EmbeddedServers.s3();
    private final SqsClient sqs = EmbeddedServers.sqs();

    private static QueueNames names(String prefix) {
        return new QueueNames(prefix + "landing", prefix + "file-landed", prefix + "validated-publish",
                prefix + "validated-retry", prefix + "retry-due", prefix + "promoted");
    }

    @Test
    void applyingTwiceIsIdempotentAndLeavesBucketsQueuesAndRedrivePolicies() throws Exception {
        LakeBuckets buckets = new LakeBuckets("apply-landing", "apply-bronze", "apply-silver", "apply-gold", "apply-quarantine");
        LakeTopology topology = LakeTopology.standard(buckets, names("apply-"), "incoming/");
        TopologyApplier applier = new TopologyApplier(s3, sqs);

        AppliedTopology first = applier.apply(topology);
        AppliedTopology second = applier.apply(topology);

        assertThat(second).isEqualTo(first);
        assertThat(first.notificationsSupported()).as("s3proxy implements no bucket notifications").isFalse();
        assertThat(first.buckets()).containsExactly("apply-landing", "apply-bronze", "apply-silver", "apply-gold", "apply-quarantine");
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsAll(first.buckets());
        assertThat(first.queueUrls()).hasSize(12);

        for (QueueSpec spec : topology.queues()) {
            Map<QueueAttributeName, String> queue = attributes(first.queueUrl(spec.name()));
            Map<QueueAttributeName, String> dlq = attributes(first.queueUrl(spec.deadLetterQueue()));
            JsonNode redrive = JSON.readTree(queue.get(QueueAttributeName.REDRIVE_POLICY));

            assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(dlq.get(QueueAttributeName.QUEUE_ARN));
            assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(LakeTopology.DEFAULT_MAX_RECEIVE_COUNT);
            assertThat(queue.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo(String.valueOf(LakeTopology.DEFAULT_VISIBILITY_TIMEOUT_SECONDS));
            assertThat(first.queueArns().get(spec.name())).isEqualTo(queue.get(QueueAttributeName.QUEUE_ARN));
        }
        assertThat(sqs.listQueues(b -> b.queueNamePrefix("apply-")).queueUrls()).hasSize(12);
    }

    @Test
    void reapplyingAChangedSpecUpdatesTheExistingQueue() throws Exception {
        LakeBuckets buckets = new LakeBuckets("change-lake", "change-lake", "change-lake", "change-lake", "change-lake");
        QueueSpec before = new QueueSpec("change-orders", "change-orders-dlq", 5, 120);
        QueueSpec after = new QueueSpec("change-orders", "change-orders-dlq", 2, 30);
        LakeTopology.LandingNotification landing = new LakeTopology.LandingNotification("change-lake", "", "change-orders");
        TopologyApplier applier = new TopologyApplier(s3, sqs);

        applier.apply(new LakeTopology(buckets, List.of(before), landing));
        AppliedTopology applied = applier.apply(new LakeTopology(buckets, List.of(after), landing));

        assertThat(applied.buckets()).containsExactly("change-lake");
        Map<QueueAttributeName, String> queue = attributes(applied.queueUrl("change-orders"));
        assertThat(JSON.readTree(queue.get(QueueAttributeName.REDRIVE_POLICY)).get("maxReceiveCount").asInt()).isEqualTo(2);
        assertThat(queue.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("30");
    }

    @Test
    void partialAppliersApplyOnlyTheirHalf() {
        LakeBuckets buckets = new LakeBuckets("half-landing", "half-bronze", "half-silver", "half-gold", "half-quarantine");
        LakeTopology topology = LakeTopology.standard(buckets, names("half-"), "");

        assertThat(TopologyApplier.forBuckets(s3).applyBuckets(topology)).hasSize(5);
        AppliedTopology queues = TopologyApplier.forQueues(sqs).applyQueues(topology);

        assertThat(queues.queueUrls()).containsKeys("half-landing", "half-landing-dlq", "half-promoted", "half-promoted-dlq");
        assertThat(queues.notificationsSupported()).isFalse();
        assertThatThrownBy(() -> TopologyApplier.forBuckets(s3).applyQueues(topology)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TopologyApplier.forQueues(sqs).apply(topology)).isInstanceOf(IllegalStateException.class);
    }

    private Map<QueueAttributeName, String> attributes(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.ALL)).attributes();
    }
}
