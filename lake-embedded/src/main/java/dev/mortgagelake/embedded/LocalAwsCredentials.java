package dev.mortgagelake.embedded;

/**
 * The static identity that both embedded servers accept, and the region they pretend to be in.
 *
 * <p>{@link EmbeddedS3Server} checks AWS Signature V2/V4 against exactly this key pair (a request
 * signed with another secret is rejected with 403). {@link EmbeddedSqsServer} accepts any
 * credentials, so clients configured with these values work against both. The values are not
 * secrets: they only ever open servers bound to the loopback interface.
 */
public final class LocalAwsCredentials {

    /** The access key id accepted by the embedded S3 server. */
    public static final String ACCESS_KEY_ID = "lake-local-access-key";

    /** The secret access key that signs requests to the embedded S3 server. */
    public static final String SECRET_ACCESS_KEY = "lake-local-secret-key";

    /** The region both servers report (ARNs of embedded queues are in this region). */
    public static final String REGION = "us-east-1";

    /** The account id that appears in the queue URLs and ARNs of the embedded SQS server. */
    public static final String ACCOUNT_ID = "000000000000";

    private LocalAwsCredentials() {
    }
}
