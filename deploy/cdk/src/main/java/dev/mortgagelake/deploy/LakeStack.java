package dev.mortgagelake.deploy;

import dev.mortgagelake.deploy.LakeServiceSpec.Layer;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

import java.util.List;

/**
 * The mortgage lake in one AWS account and region: storage ({@link LakeStorage}), the topology's
 * queues and landing notification ({@link LakeQueues}), the four Fargate services
 * ({@link LakeServices}), the Glue catalog ({@link LakeCatalog}) and the audit trail
 * ({@link LakeAuditTrail}).
 */
public final class LakeStack extends Stack {

    private final LakeStorage storage;
    private final LakeQueues queues;
    private final LakeServices services;

    public LakeStack(Construct scope, String id, StackProps props, DeploymentSettings settings) {
        super(scope, id, props);
        storage = new LakeStorage(this, "Storage", settings);
        queues = new LakeQueues(this, "Queues", settings.topology(), storage.bucket(Layer.LANDING));
        services = new LakeServices(this, "Services", settings, storage, queues);
        new LakeCatalog(this, "Catalog", settings, storage.bucket(Layer.SILVER), storage.bucket(Layer.GOLD));
        new LakeAuditTrail(this, "Audit", List.of(storage.bucket(Layer.GOLD), storage.bucket(Layer.QUARANTINE)));
    }

    public LakeStorage storage() {
        return storage;
    }

    public LakeQueues queues() {
        return queues;
    }

    public LakeServices services() {
        return services;
    }
}
