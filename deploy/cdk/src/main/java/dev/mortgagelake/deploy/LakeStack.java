package dev.mortgagelake.deploy;

import dev.mortgagelake.deploy.LakeServiceSpec.Layer;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

import java.util.List;
import java.util.Optional;

/**
 * The mortgage lake in one AWS account and region: storage ({@link LakeStorage}), the topology's
 * queues and landing notification ({@link LakeQueues}), the four Fargate services
 * ({@link LakeServices}), the Glue catalog ({@link LakeCatalog}), the audit trail
 * ({@link LakeAuditTrail}) and, when an OIDC issuer is configured, the operator console behind its load
 * balancer ({@link LakeConsole}; without one there is no console: production never runs the demo users).
 */
public final class LakeStack extends Stack {

    private final LakeStorage storage;
    private final LakeQueues queues;
    private final LakeServices services;
    private final LakeConsole console;

    public LakeStack(Construct scope, String id, StackProps props, DeploymentSettings settings) {
        super(scope, id, props);
        storage = new LakeStorage(this, "Storage", settings);
        queues = new LakeQueues(this, "Queues", settings.topology(), storage.bucket(Layer.LANDING));
        services = new LakeServices(this, "Services", settings, storage, queues);
        new LakeCatalog(this, "Catalog", settings, storage.bucket(Layer.SILVER), storage.bucket(Layer.GOLD));
        new LakeAuditTrail(this, "Audit", List.of(storage.bucket(Layer.GOLD), storage.bucket(Layer.QUARANTINE)));
        console = settings.console().map(c -> new LakeConsole(this, "Console", settings, c, services)).orElse(null);
        if (console == null) {
            Annotations.of(this).addInfo(NO_CONSOLE);
        }
    }

    /** Said at synthesis when the stack has no operator console. */
    public static final String NO_CONSOLE = "No operator console: " + DeploymentSettings.CONSOLE_OIDC_ISSUER
            + " is not set (the console is deployed only with an OIDC provider, never with the demo users)";

    /** The operator console, if deployed. */
    public Optional<LakeConsole> console() {
        return Optional.ofNullable(console);
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
