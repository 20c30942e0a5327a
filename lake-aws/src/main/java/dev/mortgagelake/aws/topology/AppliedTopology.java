package dev.mortgagelake.aws.topology;

import java.util.List;
import java.util.Map;

/**
 * What {@link TopologyApplier} left in place.
 *
 * @param buckets                 every bucket of the topology (all exist)
 * @param queueUrls               queue name to queue URL, for every queue and dead-letter queue applied
 * @param queueArns               queue name to queue ARN, same keys as {@code queueUrls}
 * @param notificationsSupported  whether the landing bucket now sends {@code s3:ObjectCreated:*}
 *                                events to the landing queue; {@code false} when the S3 endpoint
 *                                does not implement bucket notifications (s3proxy), in which case
 *                                whoever writes to landing must deliver those events itself, or
 *                                when the topology was applied without its notification step
 */
public record AppliedTopology(List<String> buckets, Map<String, String> queueUrls, Map<String, String> queueArns,
                              boolean notificationsSupported) {

    public AppliedTopology {
        buckets = List.copyOf(buckets);
        queueUrls = Map.copyOf(queueUrls);
        queueArns = Map.copyOf(queueArns);
    }

    /**
     * The URL of queue {@code name}.
     *
     * @throws IllegalArgumentException if the topology had no such queue
     */
    public String queueUrl(String name) {
        String url = queueUrls.get(name);
        if (url == null) {
            throw new IllegalArgumentException("No queue '" + name + "' was applied; applied: " + queueUrls.keySet());
        }
        return url;
    }
}
