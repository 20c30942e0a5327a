package dev.mortgagelake.contract;

import java.util.List;
import java.util.Objects;

/**
 * Every change from one version of a table's contract to another, and the overall verdict:
 * {@link Verdict#BREAKING} if any change is, {@link Verdict#SAFE} otherwise (also when nothing changed).
 *
 * @param table   the dataset
 * @param from    the older version
 * @param to      the newer version
 * @param changes the changes, record first, then field by field in schema order
 */
public record CompatibilityReport(String table, ContractVersion from, ContractVersion to, List<ContractChange> changes) {

    public CompatibilityReport {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        changes = List.copyOf(changes);
    }

    public Verdict verdict() {
        return changes.stream().anyMatch(change -> change.verdict() == Verdict.BREAKING) ? Verdict.BREAKING : Verdict.SAFE;
    }

    /** The breaking changes, in order. */
    public List<ContractChange> breakingChanges() {
        return changes.stream().filter(change -> change.verdict() == Verdict.BREAKING).toList();
    }

    /** A readable account: a line with the verdict, then one line per change. */
    public String describe() {
        StringBuilder text = new StringBuilder(table + " " + from + " -> " + to + ": " + verdict() + " ("
                + changes.size() + (changes.size() == 1 ? " change)" : " changes)"));
        for (ContractChange change : changes) {
            text.append("\n  ").append(change.message());
        }
        return text.toString();
    }
}
