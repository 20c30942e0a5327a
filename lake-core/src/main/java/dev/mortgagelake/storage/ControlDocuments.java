package dev.mortgagelake.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mortgagelake.event.EventCodec;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Small JSON control documents of the lake (claims, markers, records) on an {@link ObjectStore},
 * written with the lake's JSON mapper: create-once writes that tolerate "already there", and typed
 * reads whose failure is a permanent {@link StorageException} naming the document.
 */
public final class ControlDocuments {

    private static final Logger LOG = Logger.getLogger(ControlDocuments.class);
    private static final String JSON = "application/json";

    private final ObjectStore store;
    private final ObjectMapper mapper = EventCodec.mapper();

    public ControlDocuments(ObjectStore store) {
        this.store = store;
    }

    /** Creates {@code location} with {@code value} unless it exists (then it is left as it is). */
    public void createIfAbsent(Location location, Object value) {
        try {
            store.create(location, bytes(value), JSON);
        } catch (ObjectAlreadyExistsException e) {
            LOG.debugf("%s already recorded", location);
        }
    }

    /** Creates {@code location} with {@code value}; throws {@link ObjectAlreadyExistsException} if it exists. */
    public void create(Location location, Object value) {
        store.create(location, bytes(value), JSON);
    }

    /** Reads the document at {@code location} as {@code type}. */
    public <T> T read(Location location, Class<T> type) {
        try {
            return mapper.readValue(store.read(location), type);
        } catch (IOException e) {
            throw new StorageException("Unreadable control document " + location + ": " + e.getMessage(), false, e);
        }
    }

    /** The document's JSON bytes. */
    public byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new SHA-256 digest (every JVM has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
