package dev.mortgagelake.validation.reference;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.validation.contract.StandardTransactionTypes;
import dev.mortgagelake.validation.contract.TransactionTypes;

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

    /** Description of the enumeration {@link #seed} writes. */
    public static final String SEED_DESCRIPTION = "Transaction types accepted in mortgages/transactions (column TransactionType, "
            + "contract v1.1; maintained by the data-quality team; validation picks up a change at the start of its next run)";

    private final StoredReference<TransactionTypesDocument> reference;

    public TransactionTypeReference(ObjectStore store, LakeLayout layout) {
        this.reference = new StoredReference<>(store, layout.transactionTypes(),
                new StoredReference.Wording("transaction-type enumeration", "transaction-type enumeration", "enumeration", "types",
                        " (seed it with the standard types " + StandardTransactionTypes.CODES + " or the quality team's list)"),
                TransactionTypesDocument::parse, TransactionTypesDocument::codes);
    }

    /** Where the enumeration is read from. */
    public Location location() {
        return reference.location();
    }

    /**
     * The enumeration for the run about to start.
     *
     * @throws ReferenceDataException if no valid enumeration was ever loaded and the stored one is missing or invalid
     */
    public TransactionTypes forRun() {
        return reference.forRun();
    }

    /** What is wrong with the stored enumeration, or empty when the last read was good. */
    public Optional<String> problem() {
        return reference.problem();
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
