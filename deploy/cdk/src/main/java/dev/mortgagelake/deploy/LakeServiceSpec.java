package dev.mortgagelake.deploy;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.topology.LakeTopology.QueueNames;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The four microservices as the deployment sees them: the channels each one reads and writes (names
 * as in its {@code application.properties}), the lake keys it may read and write, its task size and
 * its scaling range.
 *
 * <p>Invariant (asserted by {@code LakeStackTest} on the synthesised template): the grants below are
 * all the S3 object and SQS access a task role gets, so
 * <ul>
 *   <li>only ingest-service writes Bronze (and reads landing);</li>
 *   <li>validation-service writes the Silver data, run-record and row-index prefixes and the
 *       Quarantine data, and reads Bronze, the Silver table state (for the published-row index) and
 *       the reference data (never writes {@code _table/}, so never {@code _LATEST.json});</li>
 *   <li>retry-service writes only the quarantine ledger and audit trail, and reads the quarantine
 *       data and the runs' validation records (the operator API and the conservation check);</li>
 *   <li>publish-service alone writes the Silver {@code _table/} documents ({@code _LATEST.json},
 *       versions, held runs) and Gold, and with them the Iceberg metadata below each table's
 *       {@code _iceberg/} location; it alone has Glue access: it reads the lake's database and
 *       creates and updates the four Iceberg tables ({@link #commitsIcebergSnapshots()}).</li>
 * </ul>
 * Every action is named: no {@code s3:*}, {@code sqs:*} or {@code s3:Put*}.
 */
public enum LakeServiceSpec {

    INGEST("ingest-service",
            Channel.incoming("landing", QueueNames::landing), List.of(),
            List.of(Channel.outgoing("file-landed", QueueNames::fileLanded)),
            List.of(ObjectGrant.read(Layer.LANDING, ObjectGrant.LANDING_PREFIX_PLACEHOLDER + "*"),
                    ObjectGrant.write(Layer.BRONZE, "bronze/*")),
            512, 1024, 21, 1, 4),

    VALIDATION("validation-service",
            Channel.incoming("file-landed", QueueNames::fileLanded),
            List.of(Channel.incoming("retry-due", QueueNames::retryDue)),
            List.of(Channel.outgoing("run-validated-publish", QueueNames::runValidatedForPublish),
                    Channel.outgoing("run-validated-retry", QueueNames::runValidatedForRetry)),
            List.of(ObjectGrant.read(Layer.BRONZE, "bronze/" + LakeLayout.DATASET_PATH + "/*"),
                    ObjectGrant.write(Layer.SILVER, "silver/_index/" + LakeLayout.DATASET_PATH + "/*"),
                    ObjectGrant.read(Layer.SILVER, "silver/" + LakeLayout.DATASET_PATH + "/_table/*"),
                    ObjectGrant.read(Layer.SILVER, "reference/*"),
                    ObjectGrant.write(Layer.SILVER, "silver/" + LakeLayout.DATASET_PATH + "/year=*"),
                    ObjectGrant.write(Layer.SILVER, "silver/_runs/" + LakeLayout.DATASET_PATH + "/*"),
                    ObjectGrant.write(Layer.QUARANTINE, "quarantine/" + LakeLayout.DATASET_PATH + "/*")),
            // Parquet parts are staged on local disk before upload: more ephemeral storage than the 21 GiB default.
            1024, 2048, 50, 1, 8),

    RETRY("retry-service",
            Channel.incoming("run-validated", QueueNames::runValidatedForRetry), List.of(),
            List.of(Channel.outgoing("retry-due", QueueNames::retryDue)),
            List.of(ObjectGrant.write(Layer.QUARANTINE, "quarantine/_ledger/" + LakeLayout.DATASET_PATH + "/*"),
                    ObjectGrant.write(Layer.QUARANTINE, "quarantine/_audit/" + LakeLayout.DATASET_PATH + "/*"),
                    ObjectGrant.read(Layer.QUARANTINE, "quarantine/" + LakeLayout.DATASET_PATH + "/*"),
                    ObjectGrant.read(Layer.SILVER, "silver/_runs/" + LakeLayout.DATASET_PATH + "/*")),
            256, 512, 21, 1, 2),

    PUBLISH("publish-service",
            Channel.incoming("run-validated", QueueNames::runValidatedForPublish), List.of(),
            List.of(Channel.outgoing("run-promoted", QueueNames::runPromoted)),
            List.of(ObjectGrant.read(Layer.SILVER, "silver/" + LakeLayout.DATASET_PATH + "/year=*"),
                    ObjectGrant.write(Layer.SILVER, "silver/" + LakeLayout.DATASET_PATH + "/_table/*"),
                    ObjectGrant.write(Layer.GOLD, "gold/*")),
            512, 1024, 21, 1, 2);

    private final String serviceName;
    private final Channel incoming;
    private final List<Channel> alsoIncoming;
    private final List<Channel> outgoing;
    private final List<ObjectGrant> objectGrants;
    private final int cpu;
    private final int memoryMiB;
    private final int ephemeralStorageGiB;
    private final int minTasks;
    private final int maxTasks;

    LakeServiceSpec(String serviceName, Channel incoming, List<Channel> alsoIncoming, List<Channel> outgoing, List<ObjectGrant> objectGrants,
                    int cpu, int memoryMiB, int ephemeralStorageGiB, int minTasks, int maxTasks) {
        this.serviceName = serviceName;
        this.incoming = incoming;
        this.alsoIncoming = alsoIncoming;
        this.outgoing = outgoing;
        this.objectGrants = objectGrants;
        this.cpu = cpu;
        this.memoryMiB = memoryMiB;
        this.ephemeralStorageGiB = ephemeralStorageGiB;
        this.minTasks = minTasks;
        this.maxTasks = maxTasks;
    }

    public String serviceName() {
        return serviceName;
    }

    /** The queue the service consumes; its depth drives the service's scaling. */
    public Channel incoming() {
        return incoming;
    }

    /** Every queue the service consumes: {@link #incoming()} first, then e.g. validation-service's retry-due. */
    public List<Channel> incomingChannels() {
        List<Channel> all = new java.util.ArrayList<>();
        all.add(incoming);
        all.addAll(alsoIncoming);
        return all;
    }

    public List<Channel> outgoing() {
        return outgoing;
    }

    /** Object grants, with the landing prefix of {@code settings} filled in. */
    public List<ObjectGrant> objectGrants(DeploymentSettings settings) {
        return objectGrants.stream().map(g -> g.withLandingPrefix(settings.landingPrefix())).toList();
    }

    public int cpu() {
        return cpu;
    }

    public int memoryMiB() {
        return memoryMiB;
    }

    public int ephemeralStorageGiB() {
        return ephemeralStorageGiB;
    }

    public int minTasks() {
        return minTasks;
    }

    public int maxTasks() {
        return maxTasks;
    }

    /**
     * Whether the service commits the lake's Iceberg snapshots through the Glue catalog (publish-service):
     * its task gets the catalog settings and Glue access to the lake's database and Iceberg tables.
     */
    public boolean commitsIcebergSnapshots() {
        return this == PUBLISH;
    }

    /**
     * Whether the service serves an operator REST API (ingest's backfill, retry's quarantine, publish's held
     * runs, tables and runs): it is registered in Cloud Map, and the operator console may call it.
     */
    public boolean servesOperatorApi() {
        return this != VALIDATION;
    }

    /** CloudFormation-friendly id, e.g. {@code IngestService}. */
    public String constructId() {
        return constructId(serviceName);
    }

    /** CloudFormation-friendly id of a service name, e.g. {@code ConsoleService}. */
    static String constructId(String serviceName) {
        StringBuilder id = new StringBuilder();
        for (String part : serviceName.split("-")) {
            id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return id.toString();
    }

    /** The lake layers, each its own bucket in this deployment. */
    public enum Layer { LANDING, BRONZE, SILVER, GOLD, QUARANTINE }

    /**
     * An SmallRye SQS channel and the queue it is bound to.
     *
     * @param incoming whether the service consumes it ({@code mp.messaging.incoming.}) or sends to it
     */
    public record Channel(String name, boolean incoming, Function<QueueNames, String> queue) {

        static Channel incoming(String name, Function<QueueNames, String> queue) {
            return new Channel(name, true, queue);
        }

        static Channel outgoing(String name, Function<QueueNames, String> queue) {
            return new Channel(name, false, queue);
        }

        /** The property the service reads the queue name from, e.g. {@code mp.messaging.incoming.file-landed.queue}. */
        public String queueProperty() {
            return "mp.messaging." + (incoming ? "incoming" : "outgoing") + "." + name + ".queue";
        }

        /**
         * The environment variable SmallRye Config maps to {@link #queueProperty()}: every character that
         * is not a letter or digit becomes {@code _}, then upper case
         * ({@code MP_MESSAGING_INCOMING_FILE_LANDED_QUEUE}).
         */
        public String queueEnvironmentVariable() {
            return environmentVariable(queueProperty());
        }
    }

    /**
     * Read (GetObject) or read and write (GetObject, PutObject) access to the keys matching
     * {@code keyPattern} ({@code *} as in IAM resource ARNs) in the bucket of {@code layer}.
     */
    public record ObjectGrant(Layer layer, String keyPattern, boolean write) {

        static final String LANDING_PREFIX_PLACEHOLDER = "${landing-prefix}";

        static ObjectGrant read(Layer layer, String keyPattern) {
            return new ObjectGrant(layer, keyPattern, false);
        }

        static ObjectGrant write(Layer layer, String keyPattern) {
            return new ObjectGrant(layer, keyPattern, true);
        }

        ObjectGrant withLandingPrefix(String landingPrefix) {
            return new ObjectGrant(layer, keyPattern.replace(LANDING_PREFIX_PLACEHOLDER, landingPrefix), write);
        }

        public List<String> actions() {
            return write ? List.of("s3:GetObject", "s3:PutObject") : List.of("s3:GetObject");
        }
    }

    /** SmallRye Config's environment variable for a property name. */
    public static String environmentVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
