package dev.mortgagelake.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.aws.S3ObjectStore;
import dev.mortgagelake.aws.topology.AppliedTopology;
import dev.mortgagelake.aws.topology.TopologyApplier;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.topology.LakeTopology;
import dev.mortgagelake.validation.reference.CurrencyReference;
import dev.mortgagelake.validation.reference.TransactionTypeReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code ./lake topology}: makes an S3 + SQS endpoint (LocalStack, Floci, the embedded servers or a
 * real AWS account) hold the lake's standard topology, exactly as {@link LocalLake} and the tests'
 * {@code TestLake} do on the embedded servers: {@link TopologyApplier} applying
 * {@link LakeTopology#standard} (buckets; every queue with its {@code <name>-dlq} and redrive policy;
 * the landing bucket's ObjectCreated notification when the S3 endpoint implements notifications),
 * then {@link CurrencyReference#seed} and {@link TransactionTypeReference#seed} (the currency allow-list and
 * the transaction-type enumeration, each created only if absent, so an edit is never overwritten). Idempotent: running it again changes nothing that is already right.
 *
 * <p>Prints one JSON summary on stdout. With {@code --wait}, connection failures and 5xx answers (the
 * endpoint not ready yet, e.g. an emulator still starting in docker-compose) are retried every two seconds until
 * the wait is over; any other failure ends the command at once with exit code 1.
 */
@Command(name = "topology", mixinStandardHelpOptions = true, description = "Apply the lake's standard topology (buckets, queues with DLQs and redrive, "
        + "landing notification where supported) and seed the reference data on an S3 + SQS endpoint; idempotent. "
        + "Prints one JSON summary.")
final class ApplyTopology implements Callable<Integer> {

    private static final Duration RETRY_EVERY = Duration.ofSeconds(2);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3 endpoint (e.g. http://localstack:4566); "
            + "omit for AWS itself. With an endpoint, S3 is addressed path-style.")
    URI s3Endpoint;

    @Option(names = "--sqs-endpoint", paramLabel = "URL", description = "SQS endpoint; omit for AWS itself.")
    URI sqsEndpoint;

    @Option(names = "--region", description = "Region (default: the SDK's region chain, e.g. AWS_REGION).")
    String region;

    @Option(names = "--access-key", description = "Access key id; with --secret-key. Omit both for the SDK's default credentials chain.")
    String accessKey;

    @Option(names = "--secret-key", description = "Secret access key; with --access-key.")
    String secretKey;

    @Option(names = "--landing-bucket", defaultValue = "lake-landing", description = "Landing bucket (default ${DEFAULT-VALUE}).")
    String landingBucket;

    @Option(names = "--bronze-bucket", defaultValue = "lake-bronze", description = "Bronze bucket (default ${DEFAULT-VALUE}).")
    String bronzeBucket;

    @Option(names = "--silver-bucket", defaultValue = "lake-silver", description = "Silver bucket (default ${DEFAULT-VALUE}).")
    String silverBucket;

    @Option(names = "--gold-bucket", defaultValue = "lake-gold", description = "Gold bucket (default ${DEFAULT-VALUE}).")
    String goldBucket;

    @Option(names = "--quarantine-bucket", defaultValue = "lake-quarantine", description = "Quarantine bucket (default ${DEFAULT-VALUE}).")
    String quarantineBucket;

    @Option(names = "--landing-prefix", defaultValue = LocalLake.LANDING_PREFIX,
            description = "Key prefix of landing that notifies the landing queue (default ${DEFAULT-VALUE}).")
    String landingPrefix;

    @Option(names = "--wait", defaultValue = "PT0S", description = "How long to retry while the endpoints do not answer "
            + "(ISO-8601, default ${DEFAULT-VALUE}: no retry).")
    Duration wait;

    @Override
    public Integer call() throws Exception {
        if ((accessKey == null) != (secretKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give both --access-key and --secret-key, or neither");
        }
        LakeBuckets buckets = new LakeBuckets(landingBucket, bronzeBucket, silverBucket, goldBucket, quarantineBucket);
        LakeTopology topology = LakeTopology.standard(buckets, LakeTopology.QueueNames.defaults(), landingPrefix);
        Instant deadline = Instant.now().plus(wait);
        try (S3Client s3 = LakeAwsClients.s3(s3Endpoint, region, accessKey, secretKey);
             SqsClient sqs = LakeAwsClients.sqs(sqsEndpoint, region, accessKey, secretKey)) {
            while (true) {
                try {
                    AppliedTopology applied = new TopologyApplier(s3, sqs).apply(topology);
                    LakeLayout layout = new LakeLayout(buckets);
                    boolean seeded = CurrencyReference.seed(new S3ObjectStore(s3), layout);
                    boolean typesSeeded = TransactionTypeReference.seed(new S3ObjectStore(s3), layout);
                    spec.commandLine().getOut().println(summary(applied, layout.currencyAllowList(), seeded,
                            layout.transactionTypes(), typesSeeded));
                    spec.commandLine().getOut().flush();
                    return 0;
                } catch (SdkClientException | AwsServiceException e) {
                    boolean notReady = e instanceof SdkClientException || ((AwsServiceException) e).statusCode() >= 500;
                    if (!notReady || Instant.now().isAfter(deadline)) {
                        throw e;
                    }
                    spec.commandLine().getErr().println("The endpoints do not answer yet (" + e.getMessage() + "); retrying");
                    spec.commandLine().getErr().flush();
                    Thread.sleep(RETRY_EVERY.toMillis());
                }
            }
        }
    }

    /**
     * {@code {buckets, queues: {name: url}, notifications, currencyAllowList: {location, seeded},
     * transactionTypes: {location, seeded}}}.
     */
    private static String summary(AppliedTopology applied, Location currencyAllowList, boolean seeded, Location transactionTypes,
                                  boolean typesSeeded) {
        ObjectNode json = LakeCommand.JSON.createObjectNode();
        applied.buckets().forEach(json.putArray("buckets")::add);
        ObjectNode queues = json.putObject("queues");
        applied.queueUrls().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(q -> queues.put(q.getKey(), q.getValue()));
        json.put("notifications", applied.notificationsSupported());
        json.putObject("currencyAllowList")
                .put("location", "s3://" + currencyAllowList.bucket() + "/" + currencyAllowList.key())
                .put("seeded", seeded);
        json.putObject("transactionTypes")
                .put("location", "s3://" + transactionTypes.bucket() + "/" + transactionTypes.key())
                .put("seeded", typesSeeded);
        try {
            return LakeCommand.JSON.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
