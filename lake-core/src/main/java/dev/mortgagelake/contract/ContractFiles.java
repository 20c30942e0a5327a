package dev.mortgagelake.contract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where contract files are read from: the class path ({@code contracts/} of lake-core's resources,
 * what the services use) or a directory (the source tree, for the build rule; a copy, for tests).
 * Paths are relative to the contract directory and {@code /}-separated.
 */
@FunctionalInterface
public interface ContractFiles {

    /** The class-path directory of the contracts. */
    String CLASS_PATH_ROOT = "contracts/";

    /** The bytes of {@code path}, or empty when there is no such file. */
    Optional<byte[]> read(String path) throws IOException;

    /** The contracts on the class path of {@code loader}, under {@value #CLASS_PATH_ROOT}. */
    static ContractFiles classPath(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        return path -> {
            try (InputStream in = loader.getResourceAsStream(CLASS_PATH_ROOT + path)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            }
        };
    }

    /** The contracts in {@code directory} (e.g. {@code lake-core/src/main/resources/contracts}). */
    static ContractFiles directory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return path -> {
            try {
                return Optional.of(Files.readAllBytes(directory.resolve(path)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        };
    }
}
