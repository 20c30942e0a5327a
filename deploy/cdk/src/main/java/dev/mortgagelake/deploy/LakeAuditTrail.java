package dev.mortgagelake.deploy;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.cloudtrail.AddEventSelectorOptions;
import software.amazon.awscdk.services.cloudtrail.ReadWriteType;
import software.amazon.awscdk.services.cloudtrail.S3EventSelector;
import software.amazon.awscdk.services.cloudtrail.Trail;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

import java.util.List;

/**
 * A multi-region CloudTrail trail with log file validation: management events everywhere, and S3
 * data events (reads and writes of objects) on the Gold and Quarantine buckets, the seed's
 * high-risk buckets. The trail's own bucket is hardened like the lake's (versioned, TLS only, no
 * public access, nothing expires).
 */
public final class LakeAuditTrail extends Construct {

    private final Trail trail;

    public LakeAuditTrail(Construct scope, String id, List<Bucket> dataEventBuckets) {
        super(scope, id);
        Bucket trailBucket = Bucket.Builder.create(this, "TrailBucket")
                .versioned(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        trail = Trail.Builder.create(this, "Trail")
                .bucket(trailBucket)
                .isMultiRegionTrail(true)
                .includeGlobalServiceEvents(true)
                .enableFileValidation(true)
                .build();
        trail.addS3EventSelector(
                dataEventBuckets.stream().map(b -> S3EventSelector.builder().bucket(b).build()).toList(),
                AddEventSelectorOptions.builder().readWriteType(ReadWriteType.ALL).includeManagementEvents(true).build());
    }

    public Trail trail() {
        return trail;
    }
}
