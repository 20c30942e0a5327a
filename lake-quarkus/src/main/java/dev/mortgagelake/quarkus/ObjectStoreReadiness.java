package dev.mortgagelake.quarkus;

import dev.mortgagelake.layout.LakeLayout;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.s3.S3Client;

/** Ready only while every lake bucket answers a HeadBucket. */
@Readiness
@ApplicationScoped
public class ObjectStoreReadiness implements HealthCheck {

    @Inject
    S3Client s3;

    @Inject
    LakeLayout layout;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("s3");
        for (String bucket : layout.buckets().distinct()) {
            try {
                s3.headBucket(b -> b.bucket(bucket));
                response.withData(bucket, "reachable");
            } catch (RuntimeException e) {
                return response.down().withData(bucket, String.valueOf(e.getMessage())).build();
            }
        }
        return response.up().build();
    }
}
