package dev.mortgagelake.validation.reference;

import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One reference-data document in the lake (the currency allow-list, the transaction-type enumeration),
 * edited by the quality team and picked up without a restart.
 *
 * <p>{@link #forRun()} is called at the start of every run. It heads the object and re-reads it only
 * when its ETag changed, so a run costs one HEAD and an edit takes effect for the next run. The
 * document a run gets is immutable: a run validates against one version from its first row to its last.
 *
 * <p>When the object is missing, unreadable or invalid:
 * <ul>
 *   <li>if a valid document was loaded before, that last good one is used, and the problem is logged at
 *       ERROR on every run until it is fixed ({@link #problem()} says what is wrong);</li>
 *   <li>otherwise (nothing good was ever loaded) {@link ReferenceDataException} is thrown: the run is
 *       not validated at all (the message is retried, then goes to the DLQ). A run never validates
 *       against an empty or made-up document.</li>
 * </ul>
 * Thread-safe.
 *
 * @param <D> the parsed document
 */
final class StoredReference<D> {

    private static final Logger LOG = Logger.getLogger(StoredReference.class);

    private final ObjectStore store;
    private final Location location;
    private final Wording wording;
    private final Function<byte[], D> parse;
    private final Function<D, Collection<String>> codes;
    private Loaded<D> loaded;
    private String problem;

    private record Loaded<D>(String etag, D document) {
    }

    /**
     * How the document is named in messages.
     *
     * @param title             e.g. {@code currency allow-list}
     * @param invalidAs         what an invalid one is not, e.g. {@code allow-list}
     * @param noun              e.g. {@code list}
     * @param items             e.g. {@code codes}
     * @param neverLoadedAdvice appended when nothing good was ever loaded (may be empty)
     */
    static final class Wording {
        private final String title;
        private final String invalidAs;
        private final String noun;
        private final String items;
        private final String neverLoadedAdvice;

        Wording(String title, String invalidAs, String noun, String items, String neverLoadedAdvice) {
            this.title = title;
            this.invalidAs = invalidAs;
            this.noun = noun;
            this.items = items;
            this.neverLoadedAdvice = neverLoadedAdvice;
        }
    }

    StoredReference(ObjectStore store, Location location, Wording wording, Function<byte[], D> parse,
                    Function<D, Collection<String>> codes) {
        this.store = Objects.requireNonNull(store, "store");
        this.location = Objects.requireNonNull(location, "location");
        this.wording = wording;
        this.parse = parse;
        this.codes = codes;
    }

    Location location() {
        return location;
    }

    /**
     * The document for the run about to start.
     *
     * @throws ReferenceDataException if no valid document was ever loaded and the stored one is missing or invalid
     */
    synchronized D forRun() {
        Optional<StoredObject> head;
        try {
            head = store.head(location);
        } catch (RuntimeException e) {
            return fallback("cannot be read: " + e.getMessage(), e);
        }
        if (head.isEmpty()) {
            return fallback("does not exist", null);
        }
        String etag = head.get().etag();
        if (loaded != null && problem == null && Objects.equals(loaded.etag(), etag)) {
            return loaded.document();
        }
        try {
            D document = parse.apply(store.read(location));
            Collection<String> read = codes.apply(document);
            if (loaded == null || !codes.apply(loaded.document()).equals(read)) {
                LOG.infof("%s %s loaded (ETag %s): %d %s %s", capitalised(wording.title), location, etag, read.size(), wording.items, read);
            }
            loaded = new Loaded<>(etag, document);
            problem = null;
            return document;
        } catch (ObjectNotFoundException e) {
            return fallback("does not exist", null);
        } catch (IllegalArgumentException e) {
            return fallback("is not a valid " + wording.invalidAs + " (ETag " + etag + "): " + e.getMessage(), null);
        } catch (RuntimeException e) {
            return fallback("cannot be read: " + e.getMessage(), e);
        }
    }

    /** What is wrong with the stored document, or empty when the last read was good. */
    synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private D fallback(String what, Throwable cause) {
        problem = "The " + wording.title + " " + location + " " + what;
        if (loaded == null) {
            throw new ReferenceDataException(problem + "; no valid " + wording.noun + " was loaded before, so no run is validated until it"
                    + " is fixed" + wording.neverLoadedAdvice, cause);
        }
        LOG.errorf("%s; validating with the last good %s (ETag %s, %d %s) until it is fixed", problem, wording.noun, loaded.etag(),
                codes.apply(loaded.document()).size(), wording.items);
        return loaded.document();
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
