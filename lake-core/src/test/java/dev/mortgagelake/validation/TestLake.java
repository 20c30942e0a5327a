package dev.mortgagelake.validation;

import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.layout.LakeBuckets;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.storage.FileSystemObjectStore;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** A lake in a temporary directory with a fixed clock, and independent read-back of what validation wrote. */
final class TestLake {

    static final Instant NOW = Instant.parse("2026-01-21T12:00:00Z");
    static final LocalDate INGEST_DATE = LocalDate.of(2026, 1, 21);
    static final String BUCKET = "lake";

    final Path root;
    final FileSystemObjectStore store;
    final LakeLayout layout = new LakeLayout(new LakeBuckets(BUCKET, BUCKET, BUCKET, BUCKET, BUCKET));
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Path workDir;
    private int runs;

    TestLake(Path tempDir) {
        this.root = tempDir.resolve("lake");
        this.store = new FileSystemObjectStore(root);
        this.workDir = tempDir.resolve("work");
    }

    RunValidator validator() {
        return validator(store, ValidationConfig.DEFAULT);
    }

    RunValidator validator(ObjectStore through, ValidationConfig config) {
        return new RunValidator(through, layout, clock, CommonIsoCurrencies.instance(), workDir, config);
    }

    /** Puts {@code bytes} in Bronze as a new run and returns its file-landed payload. */
    FileLanded land(String fileName, byte[] bytes) {
        RunId runId = RunId.of(String.format("20260121T120000%03dZ-0000abcd", runs++));
        Location bronze = layout.bronzeFile(INGEST_DATE, runId, fileName);
        store.create(bronze, bytes, "application/octet-stream");
        return new FileLanded(runId.value(), LakeLayout.DATASET_PATH, "v1", FileLanded.KIND_INGEST, INGEST_DATE,
                new Location(BUCKET, "landing/" + fileName), bronze, sha256(bytes), bytes.length, NOW.minusSeconds(5),
                List.of("20250101T000000000Z-00000001"));
    }

    /** Every object in the lake except Bronze, with its ETag (to prove that nothing changed). */
    Map<String, String> outputs() {
        Map<String, String> outputs = new LinkedHashMap<>();
        for (StoredObject object : store.list(BUCKET, "")) {
            if (!object.location().key().startsWith("bronze/")) {
                outputs.put(object.location().key(), object.etag() + "/" + sha256(store.read(object.location())));
            }
        }
        return outputs;
    }

    List<String> keysUnder(String prefix) {
        return store.list(BUCKET, prefix).stream().map(o -> o.location().key()).toList();
    }

    Path pathOf(Location location) {
        return store.pathOf(location);
    }

    boolean workDirIsEmpty() {
        if (!Files.exists(workDir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(workDir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of a DuckDB query; {@code ?} in the SQL is replaced by the quoted local path of {@code file}. */
    List<Map<String, Object>> query(String sql, Location file) {
        String path = pathOf(file).toString().replace("'", "''");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1");
            try (ResultSet result = statement.executeQuery(sql.replace("?", "'" + path + "'"))) {
                ResultSetMetaData meta = result.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), result.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + sql, e);
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
