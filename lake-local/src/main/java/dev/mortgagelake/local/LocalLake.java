package dev.mortgagelake.local;

import dev.mortgagelake.aws.LakeAwsClients;
import dev.mortgagelake.aws.S3ObjectStore;
import dev.mortgagelake.aws.topology.TopologyApplier;
import dev.mortgagelake.embedded.EmbeddedS3Server;
import dev.mortgagelake.embedded.EmbeddedSqsServer;
import dev.mortgagelake.embedded.LocalAwsCredentials;
import dev.mortgagelake.iceberg.IcebergCatalogProperties;
import dev.mortgagelake.iceberg.LakeIcebergTables;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.validation.reference.CurrencyReference;
import dev.mortgagelake.validation.reference.TransactionTypeReference;
import dev.mortgagelake.topology.LakeTopology;
import org.jboss.logging.Logger;
import dev.mortgagelake.local.fault.HttpFaultProxy;
import dev.mortgagelake.local.fault.TcpFaultProxy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole lake on one machine without Docker or an AWS account: an embedded SQS server (ElasticMQ,
 * in this JVM), an embedded S3 server (s3proxy, a child process), the topology applied to them, and
 * the four services as child JVMs from their built fast-jars, configured to use those endpoints.
 *
 * <p>The S3 server cannot send bucket notifications, so {@link LakeClient#land} delivers the S3
 * ObjectCreated notification itself, in S3's own format; the ingest sweep covers anything else.
 */
public final class LocalLake implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalLake.class);

    public static final LakeBuckets BUCKETS = new LakeBuckets("lake-landing", "lake-bronze", "lake-silver", "lake-gold", "lake-quarantine");
    public static final String LANDING_PREFIX = "incoming/";
    /** The embedded Iceberg catalog's warehouse (tables are created with explicit locations beside their version logs). */
    public static final String ICEBERG_WAREHOUSE = "s3://" + BUCKETS.silver() + "/_iceberg-warehouse";
    /** The services in start order, with their heap limits. */
    public static final List<String> SERVICES = List.of("ingest-service", "validation-service", "retry-service", "publish-service");
    /**
     * The operator web console: started after the services, pointed at their URLs; it holds no lake
     * credentials (people sign in and it calls the services as them).
     */
    public static final String CONSOLE = "console-service";

    private final EmbeddedSqsServer sqsServer;
    private final EmbeddedS3Server s3Server;
    private final S3Client s3;
    private final SqsClient sqs;
    private final Map<String, ServiceProcess> services;
    private final Path projectRoot;
    private final Path workDir;
    private final Map<String, String> serviceConfig;
    private volatile LakeEndpoints endpoints;
    /** The lines between the services and the servers when started {@link #startBehindFaultProxies behind proxies}, else null. */
    private final TcpFaultProxy s3Line;
    private final TcpFaultProxy sqsLine;
    /** The HTTP fault proxies between the services and the servers ({@link #startChaos}), else null. */
    private final HttpFaultProxy s3Faults;
    private final HttpFaultProxy sqsFaults;

    private LocalLake(EmbeddedSqsServer sqsServer, EmbeddedS3Server s3Server, S3Client s3, SqsClient sqs,
                      Map<String, ServiceProcess> services, LakeEndpoints endpoints, Path projectRoot, Path workDir,
                      Map<String, String> serviceConfig, TcpFaultProxy s3Line, TcpFaultProxy sqsLine,
                      HttpFaultProxy s3Faults, HttpFaultProxy sqsFaults) {
        this.s3Line = s3Line;
        this.sqsLine = sqsLine;
        this.s3Faults = s3Faults;
        this.sqsFaults = sqsFaults;
        this.sqsServer = sqsServer;
        this.s3Server = s3Server;
        this.s3 = s3;
        this.sqs = sqs;
        this.services = services;
        this.endpoints = endpoints;
        this.projectRoot = projectRoot;
        this.workDir = workDir;
        this.serviceConfig = Map.copyOf(serviceConfig);
    }

    /**
     * Starts servers and services and waits until every service is ready.
     *
     * @param projectRoot   the checkout (services are found at {@code <root>/<service>/target/quarkus-app/quarkus-run.jar})
     * @param workDir       where logs go (e.g. {@code .lake})
     * @param serviceConfig extra properties for every service (e.g. shorter sweep intervals in tests)
     */
    public static LocalLake start(Path projectRoot, Path workDir, Map<String, String> serviceConfig) {
        return start(projectRoot, workDir, serviceConfig, false, null, null, true);
    }

    /**
     * As {@link #start(Path, Path, Map)}, with the S3 server keeping its objects on disk under
     * {@code s3Data} instead of in its heap (null: in memory): for runs that land more data than the
     * in-memory server's heap holds (the system benchmark lands hundreds of MB).
     */
    public static LocalLake start(Path projectRoot, Path workDir, Map<String, String> serviceConfig, Path s3Data) {
        return start(projectRoot, workDir, serviceConfig, false, s3Data, null, true);
    }

    /**
     * Like {@link #start} but the services reach S3 and SQS through a {@link TcpFaultProxy} each
     * ({@link #s3Line()}, {@link #sqsLine()}), so a test can take S3 or SQS away from them and give it
     * back while the servers keep their state. The lake's own client ({@link #client()}) talks to the
     * servers directly.
     */
    public static LocalLake startBehindFaultProxies(Path projectRoot, Path workDir, Map<String, String> serviceConfig) {
        return start(projectRoot, workDir, serviceConfig, true, null, null, true);
    }

    /**
     * The lake for {@code ./lake chaos}: the services reach S3 and SQS through an {@link HttpFaultProxy}
     * each ({@link #s3Faults()}: injected S3 faults; {@link #sqsFaults()}: duplicated sends), seeded
     * from {@code seed}; no console (restarting it after every killed service would only slow the run).
     * The lake's own client ({@link #client()}) talks to the servers directly.
     */
    public static LocalLake startChaos(Path projectRoot, Path workDir, Map<String, String> serviceConfig, HttpFaultProxy.Faults faults,
                                       long seed) {
        return start(projectRoot, workDir, serviceConfig, false, null, new ChaosLines(faults, seed), false);
    }

    private record ChaosLines(HttpFaultProxy.Faults faults, long seed) {
    }

    private static LocalLake start(Path projectRoot, Path workDir, Map<String, String> extraConfig, boolean proxied, Path s3Data,
                                   ChaosLines chaos, boolean withConsole) {
        Map<String, String> serviceConfig = new LinkedHashMap<>(extraConfig);
        Path icebergCatalog = freshIcebergCatalog(workDir);
        serviceConfig.putIfAbsent("lake.publish.iceberg.uri", IcebergCatalogProperties.sqliteUri(icebergCatalog));
        EmbeddedSqsServer sqsServer = new EmbeddedSqsServer().start();
        TcpFaultProxy s3Line = null;
        TcpFaultProxy sqsLine = null;
        HttpFaultProxy s3Faults = null;
        HttpFaultProxy sqsFaults = null;
        EmbeddedS3Server s3Server = null;
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        S3Client s3 = null;
        SqsClient sqs = null;
        try {
            s3Server = (s3Data == null ? EmbeddedS3Server.inMemory() : EmbeddedS3Server.onDisk(s3Data)).start();
            s3 = LakeAwsClients.s3(s3Server.endpoint(), LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID,
                    LocalAwsCredentials.SECRET_ACCESS_KEY);
            sqs = LakeAwsClients.sqs(sqsServer.endpoint(), LocalAwsCredentials.REGION, LocalAwsCredentials.ACCESS_KEY_ID,
                    LocalAwsCredentials.SECRET_ACCESS_KEY);
            LakeTopology.QueueNames queues = LakeTopology.QueueNames.defaults();
            new TopologyApplier(s3, sqs).apply(LakeTopology.standard(BUCKETS, queues, LANDING_PREFIX));
            CurrencyReference.seed(new S3ObjectStore(s3), new LakeLayout(BUCKETS));
            TransactionTypeReference.seed(new S3ObjectStore(s3), new LakeLayout(BUCKETS));
            if (proxied) {
                s3Line = TcpFaultProxy.start(s3Server.endpoint());
                sqsLine = TcpFaultProxy.start(sqsServer.endpoint());
            }
            if (chaos != null) {
                s3Faults = HttpFaultProxy.start(s3Server.endpoint(), new HttpFaultProxy.Faults(chaos.faults().s3FaultRate(), 0), chaos.seed());
                sqsFaults = HttpFaultProxy.start(sqsServer.endpoint(), new HttpFaultProxy.Faults(0, chaos.faults().duplicateSendRate()),
                        chaos.seed() + 1);
            }
            URI serviceS3 = s3Line != null ? s3Line.endpoint() : s3Faults != null ? s3Faults.endpoint() : s3Server.endpoint();
            URI serviceSqs = sqsLine != null ? sqsLine.endpoint() : sqsFaults != null ? sqsFaults.endpoint() : sqsServer.endpoint();

            Map<String, URI> urls = new LinkedHashMap<>();
            for (String name : SERVICES) {
                services.put(name, startService(projectRoot, workDir, name, serviceS3, serviceSqs, serviceConfig));
            }
            for (String name : SERVICES) {
                ServiceProcess process = awaitReady(services, name, projectRoot, workDir, serviceS3, serviceSqs, serviceConfig);
                urls.put(name, process.url());
                LOG.infof("%s ready at %s (pid %d, log %s)", process.name(), process.url(), process.pid(), process.log());
            }
            if (withConsole) {
                services.put(CONSOLE, startConsole(projectRoot, workDir, urls, serviceConfig));
                ServiceProcess console = awaitReady(services, CONSOLE, projectRoot, workDir, s3Server.endpoint(), sqsServer.endpoint(),
                        consoleConfig(urls, serviceConfig));
                urls.put(CONSOLE, console.url());
                LOG.infof("%s ready at %s (pid %d, log %s)", CONSOLE, console.url(), console.pid(), console.log());
            }
            LakeEndpoints.IcebergCatalog iceberg = new LakeEndpoints.IcebergCatalog(LakeIcebergTables.DEFAULT_NAMESPACE,
                    IcebergCatalogProperties.embedded(icebergCatalog, ICEBERG_WAREHOUSE, s3Server.endpoint(), LocalAwsCredentials.REGION,
                            LocalAwsCredentials.ACCESS_KEY_ID, LocalAwsCredentials.SECRET_ACCESS_KEY));
            LakeEndpoints endpoints = new LakeEndpoints(s3Server.endpoint(), sqsServer.endpoint(), LocalAwsCredentials.REGION,
                    LocalAwsCredentials.ACCESS_KEY_ID, LocalAwsCredentials.SECRET_ACCESS_KEY, BUCKETS, queues, LANDING_PREFIX, urls, iceberg);
            return new LocalLake(sqsServer, s3Server, s3, sqs, services, endpoints, projectRoot, workDir, serviceConfig, s3Line, sqsLine,
                    s3Faults, sqsFaults);
        } catch (IOException e) {
            stopAll(services, s3, sqs, s3Server, sqsServer, s3Line, sqsLine, s3Faults, sqsFaults);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stopAll(services, s3, sqs, s3Server, sqsServer, s3Line, sqsLine, s3Faults, sqsFaults);
            throw e;
        }
    }

    /**
     * The embedded Iceberg catalog's SQLite file, emptied: the S3 server keeps its data in memory, so a
     * catalog left by an earlier lake would name metadata that no longer exists.
     */
    private static Path freshIcebergCatalog(Path workDir) {
        Path file = workDir.toAbsolutePath().resolve("iceberg").resolve("catalog.db");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Iceberg catalog file " + file, e);
        }
        return file;
    }

    private static ServiceProcess startService(Path projectRoot, Path workDir, String name, URI s3, URI sqs,
                                               Map<String, String> serviceConfig) throws IOException {
        if (name.equals(CONSOLE)) {
            // serviceConfig is the console's whole configuration here (see consoleConfig)
            return ServiceProcess.start(name, projectRoot.resolve(name).resolve("target/quarkus-app/quarkus-run.jar"), freePort(),
                    serviceConfig, "128m", workDir.resolve("logs"));
        }
        return startService(projectRoot, workDir, name, name, s3, sqs, serviceConfig);
    }

    /** Starts {@code service}'s jar as the process {@code instance} (its log is {@code <instance>.log}). */
    private static ServiceProcess startService(Path projectRoot, Path workDir, String service, String instance, URI s3, URI sqs,
                                               Map<String, String> serviceConfig) throws IOException {
        Path jar = projectRoot.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        return ServiceProcess.start(instance, jar, freePort(), configFor(service, commonConfig(s3, sqs), serviceConfig),
                service.equals("validation-service") ? "512m" : "256m", workDir.resolve("logs"));
    }

    /**
     * Waits for a service; if it died because another process took its port between our probe and
     * its bind (a race no free-port probe can close), starts it again on a new port, up to 3 times.
     */
    private static ServiceProcess awaitReady(Map<String, ServiceProcess> services, String name, Path projectRoot, Path workDir,
                                             URI s3, URI sqs, Map<String, String> serviceConfig) throws IOException {
        for (int attempt = 1; ; attempt++) {
            ServiceProcess process = services.get(name);
            try {
                process.awaitReady(Duration.ofSeconds(120));
                return process;
            } catch (IllegalStateException e) {
                if (attempt >= 3 || process.isAlive() || !process.logTail().contains("seems to be in use")) {
                    throw e;
                }
                LOG.warnf("%s lost its port to another process; starting it again on another port", name);
                services.put(name, startService(projectRoot, workDir, name, s3, sqs, serviceConfig));
            }
        }
    }

    private static ServiceProcess startConsole(Path projectRoot, Path workDir, Map<String, URI> urls, Map<String, String> serviceConfig)
            throws IOException {
        return startService(projectRoot, workDir, CONSOLE, null, null, consoleConfig(urls, serviceConfig));
    }

    /** The console's properties: where the services are, plus the extra properties meant for it ({@code lake.console.*}, {@code quarkus.*}). */
    static Map<String, String> consoleConfig(Map<String, URI> urls, Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("lake.console.publish-url", urls.get("publish-service").toString());
        config.put("lake.console.retry-url", urls.get("retry-service").toString());
        config.put("lake.console.ingest-url", urls.get("ingest-service").toString());
        extra.forEach((key, value) -> {
            if (key.startsWith("lake.console.") || key.startsWith("quarkus.")) {
                config.put(key, value);
            }
        });
        return config;
    }

    /**
     * A service's properties: the common ones plus the extra ones meant for it. Extra properties under
     * {@code lake.<feature>.} (e.g. {@code lake.ingest.sweep.every}) go only to {@code <feature>-service},
     * because each service rejects unknown keys under its {@code lake.} configuration root. The shared
     * {@code lake.buckets.*} and {@code lake.metrics.*} keys go to every service. A key written
     * {@code <service>:<key>} goes only to that service, as {@code <key>} (e.g. the settings of a channel
     * only it has: {@code validation-service:mp.messaging.incoming.file-landed.visibility-timeout}).
     */
    static Map<String, String> configFor(String service, Map<String, String> common, Map<String, String> extra) {
        Map<String, String> config = new LinkedHashMap<>(common);
        String feature = service.substring(0, service.indexOf('-'));
        extra.forEach((key, value) -> {
            int colon = key.indexOf(':');
            if (colon > 0 && key.substring(0, colon).endsWith("-service")) {
                // "<service>:<key>": for that service only (e.g. a channel only it has)
                if (key.substring(0, colon).equals(service)) {
                    config.put(key.substring(colon + 1), value);
                }
                return;
            }
            boolean serviceSpecific = key.startsWith("lake.") && !key.startsWith("lake.buckets.") && !key.startsWith("lake.metrics.");
            if (!serviceSpecific || key.startsWith("lake." + feature + ".")) {
                config.put(key, value);
            }
        });
        return config;
    }

    /** The properties that point a service at the embedded servers. */
    static Map<String, String> commonConfig(URI s3Endpoint, URI sqsEndpoint) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String client : List.of("s3", "sqs")) {
            String prefix = "quarkus." + client + ".";
            config.put(prefix + "endpoint-override", (client.equals("s3") ? s3Endpoint : sqsEndpoint).toString());
            config.put(prefix + "aws.region", LocalAwsCredentials.REGION);
            config.put(prefix + "aws.credentials.type", "static");
            config.put(prefix + "aws.credentials.static-provider.access-key-id", LocalAwsCredentials.ACCESS_KEY_ID);
            config.put(prefix + "aws.credentials.static-provider.secret-access-key", LocalAwsCredentials.SECRET_ACCESS_KEY);
        }
        config.put("quarkus.s3.path-style-access", "true");
        // s3proxy answers aws-chunked uploads before reading the body; plain signed payloads work
        config.put("quarkus.s3.chunked-encoding", "false");
        config.put("lake.buckets.landing", BUCKETS.landing());
        config.put("lake.buckets.bronze", BUCKETS.bronze());
        config.put("lake.buckets.silver", BUCKETS.silver());
        config.put("lake.buckets.gold", BUCKETS.gold());
        config.put("lake.buckets.quarantine", BUCKETS.quarantine());
        return config;
    }

    public synchronized LakeEndpoints endpoints() {
        return endpoints;
    }

    /** The operator console's URL (sign in as one of the demo users). */
    public URI console() {
        return endpoints.services().get(CONSOLE);
    }

    /** The line between the services and S3 ({@link #startBehindFaultProxies} only). */
    public TcpFaultProxy s3Line() {
        if (s3Line == null) {
            throw new IllegalStateException("This lake was not started behind fault proxies");
        }
        return s3Line;
    }

    /** The line between the services and SQS ({@link #startBehindFaultProxies} only). */
    public TcpFaultProxy sqsLine() {
        if (sqsLine == null) {
            throw new IllegalStateException("This lake was not started behind fault proxies");
        }
        return sqsLine;
    }

    /** The HTTP fault proxy between the services and S3 ({@link #startChaos} only). */
    public HttpFaultProxy s3Faults() {
        if (s3Faults == null) {
            throw new IllegalStateException("This lake was not started for chaos");
        }
        return s3Faults;
    }

    /** The HTTP fault proxy between the services and SQS ({@link #startChaos} only). */
    public HttpFaultProxy sqsFaults() {
        if (sqsFaults == null) {
            throw new IllegalStateException("This lake was not started for chaos");
        }
        return sqsFaults;
    }

    private URI serviceS3() {
        return s3Line != null ? s3Line.endpoint() : s3Faults != null ? s3Faults.endpoint() : s3Server.endpoint();
    }

    private URI serviceSqs() {
        return sqsLine != null ? sqsLine.endpoint() : sqsFaults != null ? sqsFaults.endpoint() : sqsServer.endpoint();
    }

    /** A client for landing files and reading outcomes. */
    public LakeClient client() {
        return new LakeClient(s3, sqs, endpoints);
    }

    public synchronized ServiceProcess service(String name) {
        ServiceProcess process = services.get(name);
        if (process == null) {
            throw new IllegalArgumentException("No service " + name + "; services are " + services.keySet());
        }
        return process;
    }

    /**
     * Stops {@code name} (SIGTERM, as ECS does) and starts it again with the same configuration, on a
     * new port; returns when it is ready. What the service kept only in memory is gone.
     */
    public synchronized ServiceProcess restart(String name) {
        return restart(name, Map.of());
    }

    /**
     * As {@link #restart(String)}, with {@code overrides} on top of the lake's service configuration for
     * this start only (e.g. a fault-injection setting a crash test needs once); the next plain restart
     * drops them.
     */
    public synchronized ServiceProcess restart(String name, Map<String, String> overrides) {
        service(name).close();
        try {
            Map<String, String> config = new LinkedHashMap<>(
                    name.equals(CONSOLE) ? consoleConfig(endpoints.services(), serviceConfig) : serviceConfig);
            config.putAll(overrides);
            services.put(name, startService(projectRoot, workDir, name, serviceS3(), serviceSqs(), config));
            ServiceProcess process = awaitReady(services, name, projectRoot, workDir, serviceS3(), serviceSqs(), config);
            endpoints = endpoints.withService(name, process.url());
            LOG.infof("%s restarted at %s (pid %d)", name, process.url(), process.pid());
            if (!name.equals(CONSOLE) && services.containsKey(CONSOLE)) {
                // the console follows the service to its new port
                restart(CONSOLE);
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a service that was killed (or stopped) again with the lake's configuration, on a new port,
     * and returns when it is ready. Unlike {@link #restart(String)} the wait for readiness holds no lock,
     * so several killed services can come back at once (the chaos run); the console, if any, is not
     * restarted.
     */
    public ServiceProcess respawn(String name) {
        if (!SERVICES.contains(name)) {
            throw new IllegalArgumentException("No service " + name + "; services are " + SERVICES);
        }
        try {
            for (int attempt = 1; ; attempt++) {
                ServiceProcess process;
                synchronized (this) {
                    service(name).close();
                    process = startService(projectRoot, workDir, name, serviceS3(), serviceSqs(), serviceConfig);
                    services.put(name, process);
                }
                try {
                    process.awaitReady(Duration.ofSeconds(180));
                } catch (IllegalStateException e) {
                    if (attempt >= 3 || process.isAlive() || !process.logTail().contains("seems to be in use")) {
                        throw e;
                    }
                    LOG.warnf("%s lost its port to another process; starting it again on another port", name);
                    continue;
                }
                synchronized (this) {
                    endpoints = endpoints.withService(name, process.url());
                }
                LOG.infof("%s started again at %s (pid %d)", name, process.url(), process.pid());
                return process;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts one more instance of {@code service} (same jar, same configuration, another port) that
     * consumes the same queues as the first, as a second ECS task does: SQS hands each message to one
     * of the competing consumers. The instance is named {@code <service>-<n>} (n = 2, 3, ...), logs to
     * {@code logs/<service>-<n>.log}, and is stopped with the lake. Returns when it is ready.
     */
    public synchronized ServiceProcess addInstance(String service) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("No service " + service + "; services are " + SERVICES);
        }
        int n = 2;
        while (services.containsKey(service + "-" + n)) {
            n++;
        }
        String instance = service + "-" + n;
        try {
            ServiceProcess process = startService(projectRoot, workDir, service, instance, s3Server.endpoint(), sqsServer.endpoint(),
                    serviceConfig);
            services.put(instance, process);
            process.awaitReady(Duration.ofSeconds(120));
            endpoints = endpoints.withService(instance, process.url());
            LOG.infof("%s ready at %s (pid %d, log %s)", instance, process.url(), process.pid(), process.log());
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every running service process by instance name ({@code validation-service}, {@code validation-service-2}, ...). */
    public synchronized Map<String, ServiceProcess> instances() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
    }

    /** Stops the services, then the servers. */
    @Override
    public void close() {
        stopAll(services, s3, sqs, s3Server, sqsServer, s3Line, sqsLine, s3Faults, sqsFaults);
    }

    private static void stopAll(Map<String, ServiceProcess> services, S3Client s3, SqsClient sqs, EmbeddedS3Server s3Server,
                                EmbeddedSqsServer sqsServer, TcpFaultProxy s3Line, TcpFaultProxy sqsLine, HttpFaultProxy s3Faults,
                                HttpFaultProxy sqsFaults) {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(ServiceProcess::close);
        if (s3Faults != null) {
            s3Faults.close();
        }
        if (sqsFaults != null) {
            sqsFaults.close();
        }
        if (s3Line != null) {
            s3Line.close();
        }
        if (sqsLine != null) {
            sqsLine.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
        sqsServer.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
