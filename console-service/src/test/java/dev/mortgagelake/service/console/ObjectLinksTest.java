package dev.mortgagelake.service.console;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectLinksTest {

    private final ObjectLinks aws = new ObjectLinks(Optional.of("https://console.aws.amazon.com/s3/object/{bucket}?prefix={key}"));

    @Test
    void aLocationBecomesTheConfiguredLinkWithItsBucketAndKeyEncoded() {
        assertThat(aws.href("s3://lake-bronze/bronze/run_id=R1/loans 2026&03.csv"))
                .isEqualTo("https://console.aws.amazon.com/s3/object/lake-bronze?prefix=bronze%2Frun_id%3DR1%2Floans%202026%2603.csv");
    }

    @Test
    void withoutATemplateOrForAnythingButAnS3LocationThereIsNoLink() {
        assertThat(new ObjectLinks(Optional.empty()).href("s3://lake-bronze/a.csv")).isEmpty();
        assertThat(new ObjectLinks(Optional.of("  ")).href("s3://lake-bronze/a.csv")).isEmpty();
        assertThat(aws.href("")).isEmpty();
        assertThat(aws.href(null)).isEmpty();
        assertThat(aws.href("javascript:alert(1)")).isEmpty();
        assertThat(aws.href("s3://no-key")).isEmpty();
        assertThat(aws.href("s3:///key-without-bucket")).isEmpty();
    }
}
