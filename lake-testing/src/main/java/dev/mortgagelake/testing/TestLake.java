package dev.mortgagelake.testing;

import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.aws.S3ObjectStore;
import dev.mortgagelake.aws.topology.AppliedTopology;
import dev.mortgagelake.aws.topology.TopologyApplier;
import dev.mortgagelake.embedded.EmbeddedS3Server;
import dev.mortgagelake.embedded.EmbeddedSqsServer;
import dev.mortgagelake.embedded.LocalAwsCredentials;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.validation.reference.CurrencyReference;
import dev.mortgagelake.validation.reference.TransactionTypeReference;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.topology.LakeTopology;
import dev.mortgagelake.topology.LakeTopology.QueueNames;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.util.List;

/**
 * The lake every test in a JVM shares: one embedded S3 server (s3proxy, in memory) and one embedded
 * SQS server (ElasticMQ), with the buckets and queues of {@link #topology()} in place, plus
 * ready-made SDK clients for test code.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Each server starts at most once per JVM, on first use, and stops when the JVM exits; it is
 *       created from the system class loader (when visible there), so it outlives the class loader
 *       of the Quarkus application whose test resource happened to start it.
 *       "Once per JVM" holds across class loaders too (Quarkus may load this class once per
 *       application): the first starter publishes the endpoint in the system property
 *       {@value #S3_ENDPOINT_PROPERTY} / {@value #SQS_ENDPOINT_PROPERTY} and every later caller, in
 *       any class loader, reuses it. Setting such a property before the tests run points them at a
 *       server started elsewhere (it must accept {@link LocalAwsCredentials}).</li>
 *   <li>Bucket and queue names are the constants below: one bucket per layer ({@code test-landing},
 *       {@code test-bronze}, {@code test-silver}, {@code test-gold}, {@code test-quarantine}) and
 *       {@link QueueNames#defaults()}, each queue with its {@code -dlq}.</li>
 *   <li>The currency allow-list ({@code reference/currencies/iso4217_allow_list.json} in the Silver
 *       bucket) is seeded with the common ISO codes when the buckets are first provisioned.</li>
 *   <li>The servers keep state for the whole JVM: tests isolate themselves by key prefix (or by
 *       draining the queues they use).</li>
 *   <li>The landing bucket sends no ObjectCreated notifications (s3proxy implements none): a test
 *       that lands a file also sends the landing event.</li>
 * </ul>
 */
public final class TestLake {

    public static final String LANDING_BUCKET = "test-landing";
    public static final String BRONZE_BUCKET = "test-bronze";
    public static final String SILVER_BUCKET = "test-silver";
    public static final String GOLD_BUCKET = "test-gold";
    public static final String QUARANTINE_BUCKET = "test-quarantine";

    /** The buckets of the test lake, one per layer. */
    public static final LakeBuckets BUCKETS = new LakeBuckets(LANDING_BUCKET, BRONZE_BUCKET, SILVER_BUCKET, GOLD_BUCKET, QUARANTINE_BUCKET);

    /** The queue names of the test lake: the defaults. */
    public static final QueueNames QUEUES = QueueNames.defaults();

    /** Landing notifications (were they supported) cover the whole landing bucket. */
    public static final String LANDING_PREFIX = "";

    /** System property holding the shared S3 endpoint once started (or preset to use an external server). */
    public static final String S3_ENDPOINT_PROPERTY = "mortgage-lake.test.s3.endpoint";

    /** System property holding the shared SQS endpoint once started (or preset to use an external server). */
    public static final String SQS_ENDPOINT_PROPERTY = "mortgage-lake.test.sqs.endpoint";

    private static final String S3_PROVISIONED_PROPERTY = "mortgage-lake.test.s3.provisioned";
    private static final String SQS_PROVISIONED_PROPERTY = "mortgage-lake.test.sqs.provisioned";

    /*
     * JVM-wide monitors: string literals are interned, so every class loader's copy of this class
     * locks the same objects and only one of them starts each server.
     */
    private static final Object S3_LOCK = "dev.mortgagelake.testing.TestLake/s3";
    private static final Object SQS_LOCK = "dev.mortgagelake.testing.TestLake/sqs";

    private static S3Client s3;
    private static SqsClient sqs;

    private TestLake() {
    }

    /** The standard topology over {@link #BUCKETS} and {@link #QUEUES}. */
    public static LakeTopology topology() {
        return LakeTopology.standard(BUCKETS, QUEUES, LANDING_PREFIX);
    }

    /**
     * The shared S3 endpoint. The first call in the JVM starts the server (unless
     * {@value #S3_ENDPOINT_PROPERTY} names one) and creates the buckets.
     */
    public static URI s3Endpoint() {
        synchronized (S3_LOCK) {
            String published = System.getProperty(S3_ENDPOINT_PROPERTY);
            URI endpoint;
            if (published != null) {
                endpoint = URI.create(published);
            } else {
                endpoint = startJvmWide(EmbeddedS3Server.class, "inMemory");
                System.setProperty(S3_ENDPOINT_PROPERTY, endpoint.toString());
            }
            if (System.getProperty(S3_PROVISIONED_PROPERTY) == null) {
                try (S3Client client = s3Client(endpoint)) {
                    TopologyApplier.forBuckets(client).applyBuckets(topology());
                    CurrencyReference.seed(new S3ObjectStore(client), new LakeLayout(BUCKETS));
                    TransactionTypeReference.seed(new S3ObjectStore(client), new LakeLayout(BUCKETS));
                }
                System.setProperty(S3_PROVISIONED_PROPERTY, endpoint.toString());
            }
            return endpoint;
        }
    }

    /**
     * The shared SQS endpoint. The first call in the JVM starts the server (unless
     * {@value #SQS_ENDPOINT_PROPERTY} names one) and creates the queues and their DLQs.
     */
    public static URI sqsEndpoint() {
        synchronized (SQS_LOCK) {
            String published = System.getProperty(SQS_ENDPOINT_PROPERTY);
            URI endpoint;
            if (published != null) {
                endpoint = URI.create(published);
            } else {
                endpoint = startJvmWide(EmbeddedSqsServer.class, null);
                System.setProperty(SQS_ENDPOINT_PROPERTY, endpoint.toString());
            }
            if (System.getProperty(SQS_PROVISIONED_PROPERTY) == null) {
                try (SqsClient client = sqsClient(endpoint)) {
                    TopologyApplier.forQueues(client).applyQueues(topology());
                }
                System.setProperty(SQS_PROVISIONED_PROPERTY, endpoint.toString());
            }
            return endpoint;
        }
    }

    /** Creates any missing bucket of the test lake (idempotent); returns the buckets. */
    public static List<String> ensureBuckets() {
        return TopologyApplier.forBuckets(s3()).applyBuckets(topology());
    }

    /** Creates or resets every queue of the test lake and its DLQ (idempotent); returns their URLs. */
    public static AppliedTopology ensureQueues() {
        return TopologyApplier.forQueues(sqs()).applyQueues(topology());
    }

    /**
     * A client of the shared S3 server (path-style, plain bodies), shared by all callers for the
     * JVM's lifetime (it holds no threads); do not close it.
     */
    public static synchronized S3Client s3() {
        if (s3 == null) {
            s3 = s3Client(s3Endpoint());
        }
        return s3;
    }

    /** A client of the shared SQS server, shared by all callers for the JVM's lifetime; do not close it. */
    public static synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = sqsClient(sqsEndpoint());
        }
        return sqs;
    }

    /** The shared S3 server as the lake's {@link ObjectStore}. */
    public static ObjectStore objectStore() {
        return new S3ObjectStore(s3());
    }

    /** The URL of queue {@code name} on the shared SQS server. */
    public static String queueUrl(String name) {
        return sqs().getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    /**
     * Starts a server whose class is loaded by the system class loader when that loader can see
     * it. Quarkus loads this class once per application, in a class loader it closes when the
     * application stops; a server living in that loader (ElasticMQ runs in this JVM and loads
     * classes lazily) would break for the test classes that come after. The server's own API
     * returns only JDK types ({@link URI}), so it can be driven reflectively across loaders.
     *
     * @param factory name of a static no-argument factory method, or {@code null} for the
     *                public no-argument constructor
     */
    private static URI startJvmWide(Class<?> serverClass, String factory) {
        Class<?> type;
        try {
            type = Class.forName(serverClass.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException notOnTheSystemClassPath) {
            type = serverClass;
        }
        try {
            Object server = factory == null ? type.getConstructor().newInstance() : type.getMethod(factory).invoke(null);
            type.getMethod("start").invoke(server);
            return (URI) type.getMethod("endpoint").invoke(server);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("Cannot start " + serverClass.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot start " + serverClass.getSimpleName(), e);
        }
    }

    private static S3Client s3Client(URI endpoint) {
        return LakeAwsClients.s3(endpoint, LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID,
                LocalAwsCredentials.SECRET_ACCESS_KEY);
    }

    private static SqsClient sqsClient(URI endpoint) {
        return LakeAwsClients.sqs(endpoint, LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID,
                LocalAwsCredentials.SECRET_ACCESS_KEY);
    }
}
