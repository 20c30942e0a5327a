package dev.mortgagelake.local;

import dev.mortgagelake.event.EventCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * The files by which {@code ./lake up}, {@code land} and {@code down} find a running lake in
 * {@code .lake/}: {@code endpoints.json} (read by the CLI), {@code env} (shell exports for the AWS
 * CLI and scripts) and {@code pid}. {@code endpoints.json} is written last, atomically: its presence
 * with a live pid means the lake is up.
 */
final class LocalLakeState {

    private LocalLakeState() {
    }

    static void write(Path work, LakeEndpoints endpoints, long pid) throws IOException {
        Files.createDirectories(work);
        Files.writeString(work.resolve("pid"), Long.toString(pid), StandardCharsets.UTF_8);
        StringBuilder env = new StringBuilder("# Written by ./lake up: `source .lake/env` points the AWS CLI and scripts at the local lake.\n");
        env.append("export AWS_ACCESS_KEY_ID=").append(endpoints.accessKeyId()).append('\n');
        env.append("export AWS_SECRET_ACCESS_KEY=").append(endpoints.secretAccessKey()).append('\n');
        env.append("export AWS_DEFAULT_REGION=").append(endpoints.region()).append('\n');
        env.append("export AWS_REGION=").append(endpoints.region()).append('\n');
        env.append("export AWS_ENDPOINT_URL_S3=").append(endpoints.s3()).append('\n');
        env.append("export AWS_ENDPOINT_URL_SQS=").append(endpoints.sqs()).append('\n');
        env.append("export LAKE_S3_ENDPOINT=").append(endpoints.s3()).append('\n');
        env.append("export LAKE_SQS_ENDPOINT=").append(endpoints.sqs()).append('\n');
        env.append("export LAKE_LANDING_BUCKET=").append(endpoints.buckets().landing()).append('\n');
        for (Map.Entry<String, URI> service : endpoints.services().entrySet()) {
            env.append("export LAKE_").append(service.getKey().replace('-', '_').toUpperCase()).append("_URL=")
                    .append(service.getValue()).append('\n');
        }
        if (endpoints.iceberg() != null) {
            env.append("export LAKE_ICEBERG_NAMESPACE=").append(endpoints.iceberg().namespace()).append('\n');
            env.append("export LAKE_ICEBERG_CATALOG_URI=").append(endpoints.iceberg().properties().get("uri")).append('\n');
            env.append("export LAKE_ICEBERG_WAREHOUSE=").append(endpoints.iceberg().properties().get("warehouse")).append('\n');
        }
        Files.writeString(work.resolve("env"), env.toString(), StandardCharsets.UTF_8);
        Path tmp = work.resolve("endpoints.json.tmp");
        Files.write(tmp, EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(endpoints));
        Files.move(tmp, work.resolve("endpoints.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<Long> pid(Path work) {
        try {
            Path pid = work.resolve("pid");
            return Files.exists(pid) ? Optional.of(Long.parseLong(Files.readString(pid).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The endpoints of a lake that is up (its process alive), if any. */
    static Optional<LakeEndpoints> runningEndpoints(Path work) {
        Path file = work.resolve("endpoints.json");
        boolean alive = pid(work).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        if (!alive || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventCodec.mapper().readValue(file.toFile(), LakeEndpoints.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable " + file, e);
        }
    }

    static void clear(Path work) {
        for (String name : new String[] {"endpoints.json", "env", "pid"}) {
            try {
                Files.deleteIfExists(work.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
