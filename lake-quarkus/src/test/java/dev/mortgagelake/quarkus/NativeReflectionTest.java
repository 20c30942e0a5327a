package dev.mortgagelake.quarkus;

import dev.mortgagelake.event.EventCodec;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards {@link NativeReflection}: every record and enum of lake-core's serialised packages is
 * registered, so a native image cannot miss a type Jackson reads or writes.
 */
class NativeReflectionTest {

    /** Packages whose records and enums are read or written as JSON (with their sub-packages). */
    private static final List<String> SERIALISED_PACKAGES = List.of("dev.mortgagelake.event", "dev.mortgagelake.gold",
            "dev.mortgagelake.ingest", "dev.mortgagelake.manifest", "dev.mortgagelake.publish", "dev.mortgagelake.retry",
            "dev.mortgagelake.validation");

    @Test
    void everyRecordAndEnumOfTheSerialisedPackagesIsRegistered() throws Exception {
        List<Class<?>> serialised = serialisedTypes();
        // the scan itself must find the documents the lake serialises (events, snapshots, pointers, ledger, manifests), or it proves nothing
        assertThat(serialised).extracting(Class::getName).contains(
                "dev.mortgagelake.event.RunValidated", "dev.mortgagelake.publish.table.TableSnapshot",
                "dev.mortgagelake.publish.table.LatestPointer", "dev.mortgagelake.retry.LedgerEntry",
                "dev.mortgagelake.manifest.PartitionManifest", "dev.mortgagelake.event.EventType");
        assertThat(serialised).anyMatch(type -> type.getEnclosingClass() != null);

        Set<String> registered = registeredNames();
        List<String> missing = serialised.stream().map(Class::getName).filter(name -> !registered.contains(name)).sorted().toList();
        assertThat(missing).as("records/enums missing from NativeReflection (add them to targets, or classNames if not public)")
                .isEmpty();
    }

    @Test
    void everyRegisteredNameExists() throws Exception {
        for (String name : registeredNames()) {
            assertThat(Class.forName(name, false, getClass().getClassLoader())).as(name).isNotNull();
        }
        assertThat(registeredNames()).contains("org.apache.parquet.ParquetReadOptions");
    }

    private static Set<String> registeredNames() {
        RegisterForReflection registration = NativeReflection.class.getAnnotation(RegisterForReflection.class);
        Set<String> names = new HashSet<>(Arrays.asList(registration.classNames()));
        Arrays.stream(registration.targets()).map(Class::getName).forEach(names::add);
        return names;
    }

    /** Records and enums (top-level and nested) under {@link #SERIALISED_PACKAGES}, read from lake-core's classes. */
    private static List<Class<?>> serialisedTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path location = Path.of(EventCodec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classNames = new ArrayList<>();
        if (Files.isDirectory(location)) {
            classNames.addAll(classFiles(location));
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                classNames.addAll(classFiles(jar.getPath("/")));
            }
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : classNames) {
            if (SERIALISED_PACKAGES.stream().noneMatch(p -> name.startsWith(p + "."))) {
                continue;
            }
            Class<?> type = Class.forName(name, false, NativeReflectionTest.class.getClassLoader());
            if (type.isRecord() || type.isEnum()) {
                types.add(type);
            }
        }
        return types;
    }

    private static List<String> classFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !f.equals("module-info.class") && !f.startsWith("META-INF/"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(name -> !name.matches(".*\\$\\d+.*"))
                    .toList();
        }
    }
}
