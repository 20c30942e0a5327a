package dev.mortgagelake.local.fault;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 reverse proxy between the services and a server (the embedded S3 or SQS server) that
 * injects faults per request, from a seeded {@link Random}:
 * <ul>
 *   <li>{@code slow_down}: a {@code 503 SlowDown} error document (S3's throttling answer), the request is not forwarded;</li>
 *   <li>{@code internal_error}: a {@code 500 InternalError} error document, not forwarded;</li>
 *   <li>{@code reset_before}: the connection is reset (RST) before the request reaches the server;</li>
 *   <li>{@code reset_after}: the request is forwarded and the server acts on it, then the connection is reset
 *       instead of returning the answer (the client cannot know the write happened);</li>
 *   <li>{@code slow}: the request is held 0.3 to 2.5 s, then forwarded.</li>
 * </ul>
 * and, for SQS, duplicate deliveries: a {@code SendMessage}/{@code SendMessageBatch} request is sent to
 * the server a second time after 0 to 3 s ({@code duplicated_sends}), as an at-least-once queue may
 * deliver a message twice. The AWS SDK retries the faults; the lake must stay correct.
 *
 * <p>Which request gets which fault depends on the seed and on the order requests arrive in (thread
 * scheduling), so a run is reproducible in its rates, not request by request. Bodies are buffered
 * (the lake's objects are small); {@code Expect: 100-continue} is answered by the proxy.
 */
public final class HttpFaultProxy implements AutoCloseable {

    /** What to inject: each rate is a probability per request (0 = never). */
    public record Faults(double s3FaultRate, double duplicateSendRate) {

        public static final Faults NONE = new Faults(0, 0);

        public Faults {
            if (s3FaultRate < 0 || s3FaultRate > 1 || duplicateSendRate < 0 || duplicateSendRate > 1) {
                throw new IllegalArgumentException("Rates are probabilities in [0, 1]: " + s3FaultRate + ", " + duplicateSendRate);
            }
        }
    }

    public static final String SLOW_DOWN = "slow_down";
    public static final String INTERNAL_ERROR = "internal_error";
    public static final String RESET_BEFORE = "reset_before";
    public static final String RESET_AFTER = "reset_after";
    public static final String SLOW = "slow";
    public static final String DUPLICATED_SENDS = "duplicated_sends";
    private static final String[] KINDS = {SLOW_DOWN, INTERNAL_ERROR, RESET_BEFORE, RESET_AFTER, SLOW};
    /** An upstream connection idle for longer is replaced (servers close idle connections; that would be a fault nobody drew). */
    private static final long UPSTREAM_IDLE_NANOS = 5_000_000_000L;

    private final String targetHost;
    private final int targetPort;
    private final Faults faults;
    private final Random random;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean enabled = true;
    private volatile boolean closed;

    private HttpFaultProxy(URI target, Faults faults, long seed) throws IOException {
        this.targetHost = target.getHost();
        this.targetPort = target.getPort();
        this.faults = faults;
        this.random = new Random(seed);
        for (String kind : KINDS) {
            counts.put(kind, new AtomicLong());
        }
        counts.put(DUPLICATED_SENDS, new AtomicLong());
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        Thread acceptor = new Thread(this::accept, "http-fault-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts proxying from a free local port to {@code target} (an {@code http://host:port} endpoint). */
    public static HttpFaultProxy start(URI target, Faults faults, long seed) {
        try {
            return new HttpFaultProxy(target, faults, seed);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start an HTTP fault proxy to " + target, e);
        }
    }

    /** The proxy's endpoint: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Turns injection on or off (off: a plain proxy), e.g. to let the lake settle before an audit. */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    /** Requests seen so far. */
    public long requests() {
        return requests.get();
    }

    /** Faults injected so far by kind (every kind present, 0 when none), plus {@code duplicated_sends}. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Faults injected so far, all kinds but duplicated sends. */
    public long faultsInjected() {
        long total = 0;
        for (String kind : KINDS) {
            total += counts.get(kind).get();
        }
        return total;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            open.add(client);
            Thread thread = new Thread(() -> serve(client), "http-fault-proxy-" + client.getPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** One client connection: requests in turn (keep-alive), over one upstream connection. */
    private void serve(Socket client) {
        Socket upstream = null;
        long upstreamUsed = 0;
        try {
            InputStream clientIn = new BufferedInputStream(client.getInputStream(), 64 * 1024);
            OutputStream clientOut = client.getOutputStream();
            InputStream upIn = null;
            OutputStream upOut = null;
            while (!closed) {
                Request request = Request.read(clientIn, clientOut);
                if (request == null) {
                    return;
                }
                requests.incrementAndGet();
                String fault = decideFault();
                if (fault != null) {
                    counts.get(fault).incrementAndGet();
                }
                if (SLOW_DOWN.equals(fault) || INTERNAL_ERROR.equals(fault)) {
                    writeError(clientOut, fault);
                    continue;
                }
                if (RESET_BEFORE.equals(fault)) {
                    reset(client);
                    return;
                }
                if (SLOW.equals(fault)) {
                    sleep(300 + nextInt(2200));
                }
                if (upstream != null && System.nanoTime() - upstreamUsed > UPSTREAM_IDLE_NANOS) {
                    // the server may have closed an idle connection: a fresh one, so no fault is injected that was not drawn
                    close(upstream);
                    open.remove(upstream);
                    upstream = null;
                }
                if (upstream == null || upstream.isClosed()) {
                    upstream = new Socket();
                    upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                    open.add(upstream);
                    upIn = new BufferedInputStream(upstream.getInputStream(), 64 * 1024);
                    upOut = upstream.getOutputStream();
                }
                upOut.write(request.bytes());
                upOut.flush();
                upstreamUsed = System.nanoTime();
                if (request.isSqsSend() && enabled && faults.duplicateSendRate() > 0 && nextDouble() < faults.duplicateSendRate()) {
                    counts.get(DUPLICATED_SENDS).incrementAndGet();
                    replayLater(request, nextInt(3000));
                }
                if (RESET_AFTER.equals(fault)) {
                    // let the server act on the request, then drop its answer
                    Response.copy(upIn, OutputStream.nullOutputStream(), request.head());
                    reset(client);
                    return;
                }
                boolean keepAlive = Response.copy(upIn, clientOut, request.head());
                clientOut.flush();
                upstreamUsed = System.nanoTime();
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            // either side went away: close both, the client sees a broken connection
        } finally {
            close(client);
            close(upstream);
        }
    }

    private String decideFault() {
        if (!enabled || faults.s3FaultRate() == 0) {
            return null;
        }
        synchronized (random) {
            if (random.nextDouble() >= faults.s3FaultRate()) {
                return null;
            }
            return KINDS[random.nextInt(KINDS.length)];
        }
    }

    private int nextInt(int bound) {
        synchronized (random) {
            return random.nextInt(bound);
        }
    }

    private double nextDouble() {
        synchronized (random) {
            return random.nextDouble();
        }
    }

    /** Sends {@code request} to the server once more after {@code delayMillis}, on its own connection; the answer is dropped. */
    private void replayLater(Request request, int delayMillis) {
        Thread thread = new Thread(() -> {
            sleep(delayMillis);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.bytes());
                out.flush();
                Response.copy(new BufferedInputStream(socket.getInputStream()), OutputStream.nullOutputStream(), request.head());
            } catch (IOException ignored) {
                // a duplicate that did not arrive is a delivery that did not happen twice
            }
        }, "http-fault-proxy-replay");
        thread.setDaemon(true);
        thread.start();
    }

    private static void writeError(OutputStream out, String fault) throws IOException {
        boolean slowDown = SLOW_DOWN.equals(fault);
        String code = slowDown ? "SlowDown" : "InternalError";
        String message = slowDown ? "Please reduce your request rate." : "We encountered an internal error. Please try again.";
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>fault-proxy</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + (slowDown ? "503 Slow Down" : "500 Internal Server Error") + "\r\n"
                + "Content-Type: application/xml\r\nContent-Length: " + body.length + "\r\n"
                + "x-amz-request-id: fault-proxy\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        close(socket);
    }

    private static void close(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(HttpFaultProxy::close);
        open.clear();
    }

    // ---- HTTP/1.1 framing -------------------------------------------------------------------------

    /** A request's head (method, headers) and its bytes as they go upstream. */
    record Request(Head head, byte[] bytes) {

        boolean isSqsSend() {
            String target = head.header("x-amz-target");
            if (target != null) {
                return target.endsWith(".SendMessage") || target.endsWith(".SendMessageBatch");
            }
            String body = new String(bytes, StandardCharsets.ISO_8859_1);
            return body.contains("Action=SendMessage");
        }

        /** Reads one request; null at the end of the connection. Answers {@code Expect: 100-continue} itself. */
        static Request read(InputStream in, OutputStream clientOut) throws IOException {
            Head head = Head.read(in);
            if (head == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> forwarded = new ArrayList<>();
            boolean expectContinue = false;
            for (String line : head.lines()) {
                if (line.toLowerCase(Locale.ROOT).startsWith("expect:")) {
                    expectContinue = line.toLowerCase(Locale.ROOT).contains("100-continue");
                    continue;
                }
                forwarded.add(line);
            }
            out.write((head.startLine() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (String line : forwarded) {
                out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (expectContinue) {
                clientOut.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                clientOut.flush();
            }
            String length = head.header("content-length");
            String encoding = head.header("transfer-encoding");
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                copyChunked(in, out);
            } else if (length != null) {
                copyExactly(in, out, Long.parseLong(length.trim()));
            }
            return new Request(head, out.toByteArray());
        }
    }

    /** A message head: the start line and the header lines. */
    record Head(String startLine, List<String> lines) {

        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
            return null;
        }

        String method() {
            return startLine.substring(0, Math.max(0, startLine.indexOf(' ')));
        }

        static Head read(InputStream in) throws IOException {
            String start = readLine(in);
            while (start != null && start.isEmpty()) {
                start = readLine(in);
            }
            if (start == null) {
                return null;
            }
            List<String> lines = new ArrayList<>();
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                lines.add(line);
            }
            return new Head(start, lines);
        }
    }

    static final class Response {

        private Response() {
        }

        /**
         * Copies one response (after any 1xx) from {@code in} to {@code out}; returns whether the
         * connection may carry another request.
         */
        static boolean copy(InputStream in, OutputStream out, Head request) throws IOException {
            while (true) {
                Head head = Head.read(in);
                if (head == null) {
                    throw new IOException("The server closed the connection before answering");
                }
                writeHead(out, head);
                int status = Integer.parseInt(head.startLine().split(" ")[1]);
                if (status >= 100 && status < 200) {
                    out.flush();
                    continue;
                }
                boolean close = "close".equalsIgnoreCase(String.valueOf(head.header("connection")));
                if (request.method().equals("HEAD") || status == 204 || status == 304) {
                    return !close;
                }
                String length = head.header("content-length");
                String encoding = head.header("transfer-encoding");
                if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                    copyChunked(in, out);
                } else if (length != null) {
                    copyExactly(in, out, Long.parseLong(length.trim()));
                } else {
                    in.transferTo(out);
                    return false;
                }
                return !close;
            }
        }

        private static void writeHead(OutputStream out, Head head) throws IOException {
            StringBuilder text = new StringBuilder(head.startLine()).append("\r\n");
            head.lines().forEach(line -> text.append(line).append("\r\n"));
            text.append("\r\n");
            out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static void copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("Connection closed with " + left + " bytes of the body left");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** Copies a chunked body as is (sizes, extensions, trailers). */
    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("Connection closed inside a chunked body");
            }
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(in); trailer != null; trailer = readLine(in)) {
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    if (trailer.isEmpty()) {
                        return;
                    }
                }
                throw new IOException("Connection closed inside a chunked body's trailers");
            }
            copyExactly(in, out, size);
            String end = readLine(in);
            if (end == null) {
                throw new IOException("Connection closed inside a chunked body");
            }
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** A CRLF- (or LF-) terminated line in ISO-8859-1, without its end; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            line.append((char) c);
            if (line.length() > 64 * 1024) {
                throw new IOException("Header line too long");
            }
        }
        return line.isEmpty() ? null : line.toString();
    }
}
