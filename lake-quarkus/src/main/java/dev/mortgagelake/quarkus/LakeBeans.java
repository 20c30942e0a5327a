package dev.mortgagelake.quarkus;

import dev.mortgagelake.aws.S3ObjectStore;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/** The domain's collaborators as CDI beans: the object store on the Quarkus-managed S3 client, the layout, the clock. */
@ApplicationScoped
public class LakeBeans {

    @Produces
    @Singleton
    ObjectStore objectStore(S3Client s3) {
        return new S3ObjectStore(s3);
    }

    @Produces
    @Singleton
    LakeLayout layout(LakeConfig config) {
        LakeConfig.Buckets b = config.buckets();
        return new LakeLayout(new LakeBuckets(b.landing(), b.bronze(), b.silver(), b.gold(), b.quarantine()));
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
