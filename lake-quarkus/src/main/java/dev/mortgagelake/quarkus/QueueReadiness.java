package dev.mortgagelake.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

import java.util.concurrent.TimeUnit;

/**
 * Ready only while SQS answers. This is also the injection point of {@link SqsAsyncClient} that makes
 * Quarkus produce the client bean the SmallRye SQS connector uses.
 */
@Readiness
@ApplicationScoped
public class QueueReadiness implements HealthCheck {

    @Inject
    SqsAsyncClient sqs;

    @Override
    public HealthCheckResponse call() {
        try {
            int queues = sqs.listQueues(r -> r.maxResults(1)).get(5, TimeUnit.SECONDS).queueUrls().size();
            return HealthCheckResponse.named("sqs").up().withData("reachable", true).withData("queues_seen", queues).build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.named("sqs").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
