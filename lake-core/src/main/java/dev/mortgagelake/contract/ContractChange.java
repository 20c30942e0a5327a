package dev.mortgagelake.contract;

import java.util.Objects;

/**
 * One change between two versions of a contract.
 *
 * @param kind    what changed
 * @param field   the field, as a path for nested fields ({@code retry_history[].attempt}); the old
 *                name for a rename or removal; {@code (record)} for a change of the record itself
 * @param before  the old value ({@code decimal(18,2)}, a doc, a source column), {@code (absent)} when none
 * @param after   the new value, {@code (absent)} when none
 * @param message one sentence naming the dataset, the version, the field, old and new and the verdict
 */
public record ContractChange(ChangeKind kind, String field, String before, String after, String message) {

    public ContractChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(message, "message");
    }

    public Verdict verdict() {
        return kind.verdict();
    }

    @Override
    public String toString() {
        return message;
    }
}
