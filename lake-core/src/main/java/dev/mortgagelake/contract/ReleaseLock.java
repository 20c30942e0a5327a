package dev.mortgagelake.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The released contract files and their SHA-256 ({@value #FILE} in the contract directory), in
 * {@code sha256sum} format: {@code <64 hex digits><two spaces><file>} a line, so
 * {@code sha256sum -c released.sha256} checks it from the contract directory. A released contract
 * describes files already in the lake: it never changes and never goes away
 * ({@link ContractEvolutionRule}). A contract not (yet) in the lock is a draft.
 */
public final class ReleaseLock {

    /** The lock file of the contract directory. */
    public static final String FILE = "released.sha256";

    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](\\S.*)");

    private final Map<String, String> sha256ByFile;

    private ReleaseLock(Map<String, String> sha256ByFile) {
        this.sha256ByFile = Collections.unmodifiableMap(sha256ByFile);
    }

    /** Parses the lock's text. */
    public static ReleaseLock parse(String text) {
        Map<String, String> released = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                throw new ContractException(FILE + " line " + lineNumber + " is not '<sha256 lower-case hex>  <file>': " + line);
            }
            if (released.put(matcher.group(2), matcher.group(1)) != null) {
                throw new ContractException(FILE + " lists " + matcher.group(2) + " twice");
            }
        }
        return new ReleaseLock(released);
    }

    /** The lock of a contract directory; a directory without one is refused (the lake has released contracts). */
    public static ReleaseLock load(ContractFiles files) {
        try {
            byte[] bytes = files.read(FILE).orElseThrow(() -> new ContractException(
                    "No " + FILE + " in the contract directory: the released contracts must be locked"));
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + FILE, e);
        }
    }

    /** Released file (relative to the contract directory) to its SHA-256, in lock order. */
    public Map<String, String> released() {
        return sha256ByFile;
    }

    public boolean isReleased(String file) {
        return sha256ByFile.containsKey(file);
    }

    /** The locked SHA-256 of {@code file}, if it is released. */
    public Optional<String> sha256(String file) {
        return Optional.ofNullable(sha256ByFile.get(file));
    }
}
