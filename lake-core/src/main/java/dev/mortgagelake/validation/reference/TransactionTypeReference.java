package dev.mortgagelake.validation.reference;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectNotFoundException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.validation.contract.StandardTransactionTypes;
import dev.mortgagelake.validation.contract.TransactionTypes;
import org.jboss.logging.Logger;

import java.util.Objects;
import java.util.Optional;

/**
 * The transaction-type enumeration as reference data in the lake ({@link LakeLayout#transactionTypes()}),
 * edited by the quality team and picked up without a restart: the same rules as the currency allow-list
 * ({@link CurrencyReference}).
 *
 * <p>{@link #forRun()} is called at the start of every run; it heads the object and re-reads it only
 * when its ETag changed. When the object is missing, unreadable or invalid: the last good enumeration is
 * used (and the problem logged at ERROR every run) if one was loaded; otherwise
 * {@link ReferenceDataException} is thrown, naming the object and what is wrong, and nothing is
 * validated (the message is retried, then goes to the DLQ). A run never validates against an empty or
 * made-up enumeration, and never accepts every type. Thread-safe.
 */
public final class TransactionTypeReference {

    private static final Logger LOG = Logger.getLogger(TransactionTypeReference.class);

    /** Description of the enumeration {@link #seed} writes. */
    public static final String SEED_DESCRIPTION = "Transaction types accepted in mortgages/transactions (column TransactionType, "
            + "contract v1.1; maintained by the data-quality team; validation picks up a change at the start of its next run)";

    private final ObjectStore store;
    private final Location location;
    private Loaded loaded;
    private String problem;

    private record Loaded(String etag, TransactionTypesDocument types) {
    }

    public TransactionTypeReference(ObjectStore store, LakeLayout layout) {
        this.store = Objects.requireNonNull(store, "store");
        this.location = layout.transactionTypes();
    }

    /** Where the enumeration is read from. */
    public Location location() {
        return location;
    }

    /**
     * The enumeration for the run about to start.
     *
     * @throws ReferenceDataException if no valid enumeration was ever loaded and the stored one is missing or invalid
     */
    public synchronized TransactionTypes forRun() {
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
            return loaded.types();
        }
        try {
            TransactionTypesDocument types = TransactionTypesDocument.parse(store.read(location));
            if (loaded == null || !loaded.types().codes().equals(types.codes())) {
                LOG.infof("Transaction-type enumeration %s loaded (ETag %s): %d types %s", location, etag, types.codes().size(),
                        types.codes());
            }
            loaded = new Loaded(etag, types);
            problem = null;
            return types;
        } catch (ObjectNotFoundException e) {
            return fallback("does not exist", null);
        } catch (IllegalArgumentException e) {
            return fallback("is not a valid transaction-type enumeration (ETag " + etag + "): " + e.getMessage(), null);
        } catch (RuntimeException e) {
            return fallback("cannot be read: " + e.getMessage(), e);
        }
    }

    /** What is wrong with the stored enumeration, or empty when the last read was good. */
    public synchronized Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private TransactionTypes fallback(String what, Throwable cause) {
        problem = "The transaction-type enumeration " + location + " " + what;
        if (loaded == null) {
            throw new ReferenceDataException(problem + "; no valid enumeration was loaded before, so no run is validated until it"
                    + " is fixed (seed it with the standard types " + StandardTransactionTypes.CODES + " or the quality team's list)",
                    cause);
        }
        LOG.errorf("%s; validating with the last good enumeration (ETag %s, %d types) until it is fixed", problem, loaded.etag(),
                loaded.types().codes().size());
        return loaded.types();
    }

    /**
     * Writes the initial enumeration ({@link StandardTransactionTypes}) unless one exists (create-once:
     * never overwrites the quality team's edits). Used wherever the currency allow-list is seeded.
     *
     * @return true if this call wrote it
     */
    public static boolean seed(ObjectStore store, LakeLayout layout) {
        TransactionTypesDocument types = TransactionTypesDocument.of(StandardTransactionTypes.CODES, SEED_DESCRIPTION);
        try {
            store.create(layout.transactionTypes(), types.toJson(), "application/json");
            return true;
        } catch (ObjectAlreadyExistsException e) {
            return false;
        }
    }
}
