package dev.mortgagelake.deploy;

import dev.mortgagelake.deploy.LakeServiceSpec.Layer;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectLockRetention;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One bucket per layer. Every bucket: versioned, all public access blocked, TLS-only bucket policy,
 * bucket-owner-enforced ownership, retained when the stack is deleted, and no lifecycle rule that
 * expires anything (financial audit data is kept forever; see the seed's lifecycle policies).
 * Bronze has S3 Object Lock with a GOVERNANCE default retention. Gold and Quarantine are encrypted
 * with their own customer-managed KMS keys (rotation on, S3 bucket keys to cut KMS requests); the
 * other layers with SSE-S3. Quarantine moves its rejected rows to Glacier after 90 days and its
 * condemned rows after five years; the retry ledger stays in Standard.
 */
public final class LakeStorage extends Construct {

    /** Rejected rows of every run: {@code quarantine/mortgages/transactions/ingest_date=...}. */
    public static final String QUARANTINE_ROWS_PREFIX = "quarantine/" + LakeLayout.DATASET_PATH + "/ingest_date=";
    /** Condemned rows: {@code quarantine/mortgages/transactions/condemned/}. */
    public static final String CONDEMNED_PREFIX = "quarantine/" + LakeLayout.DATASET_PATH + "/condemned/";
    public static final int QUARANTINE_TO_GLACIER_DAYS = 90;
    public static final int CONDEMNED_TO_GLACIER_DAYS = 5 * 365;

    private final Map<Layer, Bucket> buckets = new EnumMap<>(Layer.class);
    private final Map<Layer, Key> keys = new EnumMap<>(Layer.class);

    public LakeStorage(Construct scope, String id, DeploymentSettings settings) {
        super(scope, id);
        LakeBuckets names = settings.buckets();
        if (names.distinct().size() != Layer.values().length) {
            throw new IllegalArgumentException("The deployment needs one bucket per layer (object lock, keys and "
                    + "lifecycle differ per layer), got " + names);
        }
        keys.put(Layer.GOLD, customerKey("GoldKey", "gold"));
        keys.put(Layer.QUARANTINE, customerKey("QuarantineKey", "quarantine"));

        buckets.put(Layer.LANDING, bucket("Landing", names.landing(), Layer.LANDING).build());
        buckets.put(Layer.BRONZE, bucket("Bronze", names.bronze(), Layer.BRONZE)
                .objectLockEnabled(true)
                .objectLockDefaultRetention(ObjectLockRetention.governance(Duration.days(settings.bronzeLockDays())))
                .build());
        buckets.put(Layer.SILVER, bucket("Silver", names.silver(), Layer.SILVER).build());
        buckets.put(Layer.GOLD, bucket("Gold", names.gold(), Layer.GOLD).build());
        buckets.put(Layer.QUARANTINE, bucket("Quarantine", names.quarantine(), Layer.QUARANTINE)
                .lifecycleRules(List.of(
                        toGlacier("QuarantineRowsToGlacier", QUARANTINE_ROWS_PREFIX, QUARANTINE_TO_GLACIER_DAYS),
                        toGlacier("CondemnedRowsToGlacier", CONDEMNED_PREFIX, CONDEMNED_TO_GLACIER_DAYS)))
                .build());
    }

    public Bucket bucket(Layer layer) {
        return buckets.get(layer);
    }

    /** The customer-managed key of {@code layer}, if the layer is encrypted with one. */
    public Optional<Key> key(Layer layer) {
        return Optional.ofNullable(keys.get(layer));
    }

    public List<Bucket> all() {
        return List.copyOf(buckets.values());
    }

    private Key customerKey(String id, String layer) {
        return Key.Builder.create(this, id)
                .alias("alias/mortgage-lake-" + layer)
                .description("Mortgage lake: encrypts the " + layer + " bucket")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private Bucket.Builder bucket(String id, String name, Layer layer) {
        Bucket.Builder builder = Bucket.Builder.create(this, id)
                .bucketName(name)
                .versioned(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(RemovalPolicy.RETAIN);
        Key key = keys.get(layer);
        if (key != null) {
            builder.encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true);
        } else {
            builder.encryption(BucketEncryption.S3_MANAGED);
        }
        return builder;
    }

    private static LifecycleRule toGlacier(String id, String prefix, int days) {
        return LifecycleRule.builder()
                .id(id)
                .prefix(prefix)
                .transitions(List.of(Transition.builder()
                        .storageClass(StorageClass.GLACIER)
                        .transitionAfter(Duration.days(days))
                        .build()))
                .build();
    }
}
