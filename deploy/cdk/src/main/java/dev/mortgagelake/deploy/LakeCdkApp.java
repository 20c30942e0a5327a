package dev.mortgagelake.deploy;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: {@code cdk.json} runs it ({@code mvn -q exec:java}), it synthesises the stack
 * {@code MortgageLake} into {@code cdk.out/}. Account and region come from the CDK CLI
 * ({@code CDK_DEFAULT_ACCOUNT}, {@code CDK_DEFAULT_REGION}); names and images from context
 * ({@link DeploymentSettings}).
 */
public final class LakeCdkApp {

    public static final String STACK_NAME = "MortgageLake";

    private LakeCdkApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        StackProps props = StackProps.builder()
                .env(Environment.builder()
                        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region(System.getenv("CDK_DEFAULT_REGION"))
                        .build())
                .description("Mortgage lake: S3 layers, SQS topology, four Fargate services, Glue catalog, CloudTrail, operator console (with OIDC)")
                .build();
        new LakeStack(app, STACK_NAME, props, DeploymentSettings.fromContext(app.getNode()));
        app.synth();
    }
}
