package dev.mortgagelake.validation.reference;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectAlreadyExistsException;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;
import dev.mortgagelake.validation.contract.CurrencyAllowList;

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

    /** Description of the list {@link #seed} writes. */
    public static final String SEED_DESCRIPTION = "ISO-4217 codes accepted in mortgages/transactions "
            + "(maintained by the data-quality team; validation picks up a change at the start of its next run)";

    private final StoredReference<CurrencyAllowListDocument> reference;

    public CurrencyReference(ObjectStore store, LakeLayout layout) {
        this.reference = new StoredReference<>(store, layout.currencyAllowList(),
                new StoredReference.Wording("currency allow-list", "allow-list", "list", "codes", ""),
                CurrencyAllowListDocument::parse, CurrencyAllowListDocument::codes);
    }

    /** Where the list is read from. */
    public Location location() {
        return reference.location();
    }

    /**
     * The list for the run about to start.
     *
     * @throws ReferenceDataException if no valid list was ever loaded and the stored one is missing or invalid
     */
    public CurrencyAllowList forRun() {
        return reference.forRun();
    }

    /** What is wrong with the stored list, or empty when the last read was good. */
    public Optional<String> problem() {
        return reference.problem();
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
