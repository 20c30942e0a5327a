package dev.mortgagelake.aws;

import dev.mortgagelake.embedded.EmbeddedS3Server;
import dev.mortgagelake.embedded.EmbeddedSqsServer;
import dev.mortgagelake.embedded.LocalAwsCredentials;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One embedded S3 and one embedded SQS server per test JVM, started on first use and stopped when
 * the JVM exits, so the test classes of this module share them. Tests isolate themselves by
 * bucket, queue and key names.
 */
public final class EmbeddedServers {

    private static EmbeddedS3Server s3Server;
    private static EmbeddedSqsServer sqsServer;
    private static S3Client s3;
    private static SqsClient sqs;

    private EmbeddedServers() {
    }

    public static synchronized S3Client s3() {
        if (s3 == null) {
            s3Server = EmbeddedS3Server.inMemory().start();
            s3 = LakeAwsClients.s3(s3Server.endpoint(), LocalAwsCredentials.REGION,
                    LocalAwsCredentials.ACCESS_KEY_ID, LocalAwsCredentials.SECRET_ACCESS_KEY);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                s3.close();
                s3Server.stop();
            }, "embedded-s3-stop"));
        }
        return s3;
    }

    public static synchronized java.net.URI s3Endpoint() {
        s3();
        return s3Server.endpoint();
    }

    public static synchronized SqsClient sqs() {
        if (sqs == null) {
            sqsServer = new EmbeddedSqsServer().start();
            sqs = LakeAwsClients.sqs(sqsServer.endpoint(), LocalAwsCredentials.REGION,
                    LocalAwsCredentials.ACCESS_KEY_ID, LocalAwsCredentials.SECRET_ACCESS_KEY);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sqs.close();
                sqsServer.stop();
            }, "embedded-sqs-stop"));
        }
        return sqs;
    }
}
