package dev.mortgagelake.service.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Where the services are, and how long a console session lives. */
@ConfigMapping(prefix = "lake.console")
public interface ConsoleConfig {

    /** publish-service (tables, versions, held runs, runs). */
    URI publishUrl();

    /** retry-service (quarantine, condemned, requests, audit trail, conservation). */
    URI retryUrl();

    /** ingest-service (backfill requests). */
    URI ingestUrl();

    /** A session ends after this long without a request. */
    @WithDefault("30m")
    Duration sessionIdle();

    /** Mark the session cookie Secure (set true behind TLS; false only for http://127.0.0.1 locally). */
    @WithDefault("false")
    boolean secureCookie();

    /**
     * Where a person opens a lake object: a URL template with {@code {bucket}} and {@code {key}}, e.g.
     * {@code https://s3.console.aws.amazon.com/s3/object/{bucket}?prefix={key}} on AWS. Unset (the local
     * default): locations are shown as {@code s3://} text only.
     */
    Optional<String> objectUrl();

    /** Timeout of one call to a service. */
    @WithDefault("20s")
    Duration callTimeout();
}
