package dev.mortgagelake.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible server (s3proxy) running as a child process of this JVM, bound to
 * {@code 127.0.0.1} on a free ephemeral port, path-style addressing only.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #start()} returns only once the server answers HTTP on {@link #endpoint()}; if it
 *       does not within the startup timeout, or the child exits, it fails with an
 *       {@link IllegalStateException} whose message holds the tail of the server's log, and no
 *       child process is left behind.</li>
 *   <li>Requests must be signed (AWS Signature V2 or V4) with {@link LocalAwsCredentials}; other
 *       credentials are rejected with 403.</li>
 *   <li>Conditional writes: {@code If-None-Match: *} on an existing key and {@code If-Match} with a
 *       stale ETag fail with 412; concurrent create-once writes of one key have exactly one winner.
 *       Bucket notifications are not supported (501 {@code NotImplemented}).</li>
 *   <li>Clients must send plain request bodies, not {@code aws-chunked}: over plain HTTP the AWS
 *       SDK v2 signs PutObject bodies in {@code aws-chunked} encoding by default, and s3proxy
 *       4.1.0 answers before reading the whole body, so the client intermittently fails with
 *       "Error writing request body to server" on a write that did succeed (and a retried
 *       create-once write then gets 412). Disable it with
 *       {@code S3Configuration.chunkedEncodingEnabled(false)} or
 *       {@code quarkus.s3.chunked-encoding=false}.</li>
 *   <li>Storage is in memory ({@link #inMemory()}, lost on stop, counts against the child's heap)
 *       or in a directory ({@link #onDisk(Path)}, kept across restarts).</li>
 *   <li>{@link #stop()} (or {@link #close()}) terminates the child and waits for it; it is
 *       idempotent. A JVM shutdown hook terminates the child (and removes its work directory) if
 *       the JVM exits first.</li>
 * </ul>
 *
 * <h2>Why a child process</h2>
 * s3proxy is published as a fat jar (4.1.0: 55 MB, about 33,700 classes) in which only Jetty is
 * relocated; everything else is bundled under its own package names: the AWS SDK v2 at 2.54.2 (the
 * lake runs 2.41.18, managed by the quarkus-amazon-services BOM), Jackson 2.18.3, Guava 33.7.1,
 * SLF4J 2.0.18 with logback-classic 1.6.3 as its provider (the services log through JBoss
 * LogManager's SLF4J provider), OpenTelemetry, and the GCS, Azure and OpenStack clients. So:
 * <ul>
 *   <li>On the class path of a service test, the fat jar and the lake's own jars both define those
 *       classes, and whichever comes first wins class by class: the lake would be tested against
 *       an AWS SDK, Jackson or SLF4J provider other than the one it ships with, or against a mix
 *       (checked: with both on one class path an SDK client works either way, silently running on
 *       the classes of whichever jar is first).</li>
 *   <li>As a normal (thin) dependency, s3proxy's libraries would be resolved under the Quarkus and
 *       amazon-services BOMs, which pin them to versions s3proxy was not built with (the BOM's AWS
 *       SDK is 13 minor versions older than s3proxy's).</li>
 *   <li>In-process <em>is</em> possible in a class loader of its own (checked: a
 *       {@code URLClassLoader} over the extracted jar with the platform class loader as parent, the
 *       blob store from the private {@code Main.createBlobStore} by reflection, then
 *       {@code S3Proxy.Builder}; it starts on port 0, answers and stops). It is not used because the
 *       in-memory store would then live in the heap of the JVM under test (every object written, for
 *       the server's lifetime; the child has its own {@code -Xmx} and exits on OutOfMemoryError),
 *       each server would add its 33,700 classes to that JVM's metaspace and its logback to its
 *       stdout, and the entry point would be a private method that an upgrade can change silently.
 *       The child costs about 2 s of start-up and the process handling below.</li>
 * </ul>
 *
 * <p>The s3proxy fat jar ships inside this module as the class-path resource
 * {@code dev/mortgagelake/embedded/s3proxy.jar}; the first start in any JVM extracts it to
 * {@code ${java.io.tmpdir}/mortgage-lake/s3proxy-<version>.jar} (atomically, so concurrent JVMs
 * never see a partial file) and later starts reuse that copy while its size matches. The child runs
 * on this JVM's {@code java} binary. Its properties file and log live in a fresh temporary work
 * directory ({@link #workDirectory()}) that stopping (or JVM exit) removes and a failed start keeps
 * for diagnosis.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final String JAR_RESOURCE = "s3proxy.jar";
    private static final String VERSION_RESOURCE = "s3proxy.properties";
    private static final Object EXTRACTION_LOCK = new Object();
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;

    private enum State { NEW, RUNNING, STOPPED }

    private final Path dataDirectory;
    private String maxHeap = "256m";
    private Duration startupTimeout = Duration.ofSeconds(90);

    private State state = State.NEW;
    private Process process;
    private Thread shutdownHook;
    private Path workDirectory;
    private URI endpoint;

    private EmbeddedS3Server(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** A server that keeps objects in memory ({@code jclouds.provider=transient-nio2}). */
    public static EmbeddedS3Server inMemory() {
        return new EmbeddedS3Server(null);
    }

    /**
     * A server that keeps objects under {@code dataDirectory} ({@code jclouds.provider=filesystem-nio2}),
     * one sub-directory per bucket. The directory is created if missing and never deleted.
     */
    public static EmbeddedS3Server onDisk(Path dataDirectory) {
        return new EmbeddedS3Server(Objects.requireNonNull(dataDirectory, "dataDirectory").toAbsolutePath().normalize());
    }

    /** The child's maximum heap as a JVM size ({@code -Xmx}), default {@code 256m}; before {@link #start()} only. */
    public synchronized EmbeddedS3Server withMaxHeap(String size) {
        requireNew();
        if (!size.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("Not a JVM heap size: " + size);
        }
        this.maxHeap = size;
        return this;
    }

    /** How long {@link #start()} waits for the server to answer, default 90 s; before {@link #start()} only. */
    public synchronized EmbeddedS3Server withStartupTimeout(Duration timeout) {
        requireNew();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The startup timeout must be positive: " + timeout);
        }
        this.startupTimeout = timeout;
        return this;
    }

    /**
     * Launches the child process and waits until it answers; a no-op if it is already running.
     *
     * @return this server, running
     * @throws IllegalStateException if the server was stopped, or did not come up in time
     */
    public synchronized EmbeddedS3Server start() {
        if (state == State.RUNNING) {
            return this;
        }
        if (state == State.STOPPED) {
            throw new IllegalStateException("An embedded S3 server cannot be restarted once stopped");
        }
        Path jar = extractJar();
        try {
            workDirectory = Files.createTempDirectory("mortgage-lake-s3proxy-");
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the embedded S3 server's directories", e);
        }
        Path logFile = logFile();
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process child = launch(jar, port);
            Path directory = workDirectory;
            Thread hook = new Thread(() -> terminateAtExit(child, directory), "s3proxy-shutdown-" + port);
            Runtime.getRuntime().addShutdownHook(hook);
            Startup outcome = awaitReady(child, port, deadline);
            if (outcome == Startup.READY) {
                process = child;
                shutdownHook = hook;
                endpoint = URI.create("http://" + LOOPBACK + ":" + port);
                state = State.RUNNING;
                return this;
            }
            terminate(child);
            removeShutdownHook(hook);
            if (outcome == Startup.PORT_TAKEN && attempt < PORT_ATTEMPTS && System.nanoTime() < deadline) {
                continue;
            }
            String reason = switch (outcome) {
                case EXITED -> "exited with code " + child.exitValue();
                case PORT_TAKEN -> "could not bind a free port after " + attempt + " attempts";
                case TIMED_OUT -> "did not answer on port " + port + " within " + startupTimeout.toSeconds() + " s";
                case READY -> throw new AssertionError(outcome);
            };
            throw new IllegalStateException("The embedded S3 server (s3proxy) " + reason + ". Log " + logFile
                    + ", last lines:\n" + logTail(logFile));
        }
    }

    /**
     * The base URI of the running server, e.g. {@code http://127.0.0.1:38211}; address buckets
     * path-style under it.
     *
     * @throws IllegalStateException if the server is not running
     */
    public synchronized URI endpoint() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("The embedded S3 server is not running (state " + state + ")");
        }
        return endpoint;
    }

    /** Whether the server has been started and not yet stopped. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING && process.isAlive();
    }

    /** Where objects are kept, or empty for an in-memory server. */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    /** The child's work directory (properties and log), or empty before {@link #start()}. */
    public synchronized Optional<Path> workDirectory() {
        return Optional.ofNullable(workDirectory);
    }

    /** Terminates the child and waits for it to exit; does nothing if it is not running. */
    public synchronized void stop() {
        if (state != State.RUNNING) {
            state = State.STOPPED;
            return;
        }
        try {
            terminate(process);
            removeShutdownHook(shutdownHook);
            deleteRecursively(workDirectory);
        } finally {
            process = null;
            shutdownHook = null;
            state = State.STOPPED;
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public synchronized String toString() {
        return "EmbeddedS3Server[" + (state == State.RUNNING ? endpoint : state)
                + (dataDirectory == null ? ", in memory" : ", " + dataDirectory) + "]";
    }

    // ---------------------------------------------------------------------------------------------

    private enum Startup { READY, EXITED, PORT_TAKEN, TIMED_OUT }

    private void requireNew() {
        if (state != State.NEW) {
            throw new IllegalStateException("Configure the embedded S3 server before starting it");
        }
    }

    private Path logFile() {
        return workDirectory.resolve("s3proxy.log");
    }

    private Process launch(Path jar, int port) {
        Path propertiesFile = workDirectory.resolve("s3proxy.properties");
        writeProperties(propertiesFile, port);
        List<String> command = new ArrayList<>(List.of(
                javaBinary(),
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=" + workDirectory,
                "-jar", jar.toString(),
                "--properties", propertiesFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        Map<String, String> environment = builder.environment();
        // Agents and options meant for this JVM (coverage, debuggers) must not leak into the child.
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        environment.remove("_JAVA_OPTIONS");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch the embedded S3 server: " + command, e);
        }
    }

    private void writeProperties(Path file, int port) {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://" + LOOPBACK + ":" + port);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", LocalAwsCredentials.ACCESS_KEY_ID);
        properties.setProperty("s3proxy.credential", LocalAwsCredentials.SECRET_ACCESS_KEY);
        properties.setProperty("jclouds.identity", LocalAwsCredentials.ACCESS_KEY_ID);
        properties.setProperty("jclouds.credential", LocalAwsCredentials.SECRET_ACCESS_KEY);
        if (dataDirectory == null) {
            properties.setProperty("jclouds.provider", "transient-nio2");
        } else {
            properties.setProperty("jclouds.provider", "filesystem-nio2");
            properties.setProperty("jclouds.filesystem.basedir", dataDirectory.toString());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "Embedded S3 server (s3proxy) for the mortgage lake");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private Startup awaitReady(Process child, int port, long deadline) {
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                String log = logTail(logFile());
                return log.contains("BindException") || log.contains("Address already in use")
                        ? Startup.PORT_TAKEN : Startup.EXITED;
            }
            if (answers(port) && child.isAlive()) {
                return Startup.READY;
            }
            try {
                if (child.waitFor(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Startup.TIMED_OUT;
            }
        }
        return Startup.TIMED_OUT;
    }

    /** Any HTTP answer (s3proxy says 403 to an anonymous {@code GET /}) means the server is up. */
    private static boolean answers(int port) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create("http://" + LOOPBACK + ":" + port + "/").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2_000);
            connection.setUseCaches(false);
            return connection.getResponseCode() > 0;
        } catch (IOException notYet) {
            return false;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static void terminate(Process child) {
        if (!child.isAlive()) {
            return;
        }
        child.destroy();
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The shutdown hook: JVM exit is the only stop of a server nobody stopped, so it also cleans up. */
    private static void terminateAtExit(Process child, Path workDirectory) {
        terminate(child);
        try {
            deleteRecursively(workDirectory);
        } catch (UncheckedIOException e) {
            System.err.println("Embedded S3 server: cannot remove " + workDirectory + " at exit: " + e.getCause());
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The JVM is already exiting and runs the hook itself; terminating twice is harmless.
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + LOOPBACK, e);
        }
    }

    private static String javaBinary() {
        String executable = System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "java.exe" : "java";
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", executable);
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("Cannot find the java binary of this JVM (java.home "
                        + System.getProperty("java.home") + ")"));
    }

    private static String logTail(Path log) {
        if (!Files.isRegularFile(log)) {
            return "(no log written)";
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }

    private static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Stopped the embedded S3 server but cannot remove " + directory, e);
        }
    }

    /**
     * The s3proxy fat jar as a local file, extracted from the class path at most once per version
     * and size. Concurrent extractions (threads or JVMs) each write a private temporary file and
     * atomically rename it into place, so readers only ever see a complete jar.
     */
    static Path extractJar() {
        synchronized (EXTRACTION_LOCK) {
            URL resource = EmbeddedS3Server.class.getResource(JAR_RESOURCE);
            if (resource == null) {
                throw new IllegalStateException("The class-path resource dev/mortgagelake/embedded/" + JAR_RESOURCE
                        + " is missing: lake-embedded's build copies it there (maven-dependency-plugin, execution embed-s3proxy)");
            }
            Path cacheDirectory = Path.of(System.getProperty("java.io.tmpdir"), "mortgage-lake");
            Path target = cacheDirectory.resolve("s3proxy-" + s3proxyVersion() + ".jar");
            try {
                URLConnection connection = resource.openConnection();
                long expectedSize = connection.getContentLengthLong();
                if (Files.isRegularFile(target) && expectedSize >= 0 && Files.size(target) == expectedSize) {
                    return target;
                }
                Files.createDirectories(cacheDirectory);
                Path partial = Files.createTempFile(cacheDirectory, "s3proxy-", ".jar.part");
                try {
                    try (InputStream in = connection.getInputStream()) {
                        long copied = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                        if (expectedSize >= 0 && copied != expectedSize) {
                            throw new IOException("Extracted " + copied + " bytes of " + resource + ", expected " + expectedSize);
                        }
                    }
                    try {
                        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(partial);
                }
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot extract " + resource + " to " + target, e);
            }
        }
    }

    private static String s3proxyVersion() {
        try (InputStream in = EmbeddedS3Server.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The class-path resource dev/mortgagelake/embedded/" + VERSION_RESOURCE + " is missing");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version");
            if (version == null || version.isBlank() || version.contains("${")) {
                throw new IllegalStateException(VERSION_RESOURCE + " has no resolved version: " + version);
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + VERSION_RESOURCE, e);
        }
    }
}
