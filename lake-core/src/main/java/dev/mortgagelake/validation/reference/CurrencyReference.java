package dev.mortgagelake.validation.reference;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;
import dev.mortgagelake.validation.contract.CurrencyAllowList;
import org.jboss.logging.Logger;

import java.util.Objects;
import java.util.Optional;

/**
 * The currency allow-list as reference data in the lake ({@link LakeLayout#currencyAllowList()}),
 * edited by the quality team and picked up without a restart.
 *
 * <p>{@link #forRun()} is called at the start of every run. It heads the object and re-reads it only
 * when its ETag changed, so a run costs one HEAD and an edit takes effect for the next run. The list
 * a run gets is immutable: a run validates against one list from its first row to its last.
 *
 * <p>When the object is missing, unreadable or invalid:
 * <ul>
 *   <li>if a valid list was loaded before, that last good list is used, and the problem is logged at
 *       ERROR on every run until it is fixed ({@link #problem()} says what is wrong);</li>
 *   <li>otherwise (nothing good was ever loaded) {@link ReferenceDataException} is thrown: the run is
 *       not validated at all (the message is retried, then goes to the DLQ). A run never validates
 *       against an empty or made-up list.</li>
 * </ul>
 * Thread-safe.
 */
public final class CurrencyReference {

    private static final Logger LOG = Logger.getLogger(CurrencyReference.class);

    /** Description of the list {@link #seed} writes. */
    public static final String SEED_DESCRIPTION = "ISO-4217 codes accepted in mortgages/transactions "
            + "(maintained by the data-quality team; validation picks up a change at the start of its next run)";

    private final ObjectStore store;
    private final Location location;
    private Loaded loaded;
    private String problem;

    private record Loaded(String etag, CurrencyAllowListDocument list) {
    }

    public CurrencyReference(ObjectStore store, LakeLayout layout) {
        this.store = Objects.requireNonNull(store, "store");
        this.location = layout.currencyAllowList();
    }

    /** Where the list is read from. */
    public Location location() {
        return location;
    }

    /**
     * The list for the run about to start.
     *
     * @throws ReferenceDataException if no valid list was ever loaded and the stored one is missing or invalid
     */
    public synchronized CurrencyAllowList forRun() {
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
            return loaded.list();
        }
        try {
            CurrencyAllowListDocument list = CurrencyAllowListDocument.parse(store.read(location));
            if (loaded == null || !loaded.list().codes().equals(list.codes())) {
                LOG.infof("Currency allow-list %s loaded (ETag %s): %d codes %s", location, etag, list.codes().size(), list.codes());
            }
            loaded = new Loaded(etag, list);
            problem = null;
            return list;
        } catch (ObjectNotFoundException e) {
            return fallback("does not exist", null);
        } catch (IllegalArgumentException e) {
            return fallback("is not a valid allow-list (ETag " + etag + "): " + e.getMessage(), null);
        } catch (RuntimeException e) {
            return fallback("cannot be read: " + e.getMessage(), e);
        }
    }

    /** What is wrong with the stored list, or empty when the last read was good. */
    public synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private CurrencyAllowList fallback(String what, Throwable cause) {
        problem = "The currency allow-list " + location + " " + what;
        if (loaded == null) {
            throw new ReferenceDataException(problem + "; no valid list was loaded before, so no run is validated until it is fixed",
                    cause);
        }
        LOG.errorf("%s; validating with the last good list (ETag %s, %d codes) until it is fixed", problem, loaded.etag(),
                loaded.list().codes().size());
        return loaded.list();
    }

    /**
     * Writes the initial list ({@link CommonIsoCurrencies}) unless a list exists (create-once: never
     * overwrites the quality team's edits). Used when a lake is set up (local stack, tests).
     *
     * @return true if this call wrote it
     */
    public static boolean seed(ObjectStore store, LakeLayout layout) {
        CurrencyAllowListDocument list = CurrencyAllowListDocument.of(CommonIsoCurrencies.CODES, SEED_DESCRIPTION);
        try {
            store.create(layout.currencyAllowList(), list.toJson(), "application/json");
            return true;
        } catch (ObjectAlreadyExistsException e) {
            return false;
        }
    }
}
