package dev.mortgagelake.contract;

/**
 * The kinds of change between two versions of a contract, each with its verdict. The only safe change
 * is an optional column added after the existing ones: every other change alters what an existing
 * file, reader or writer means or can do.
 */
public enum ChangeKind {
    /** A nullable column with a null default (and, if read from CSV, an optional source column), added last. */
    OPTIONAL_FIELD_ADDED(Verdict.SAFE, "optional column addition"),
    /** A column old files cannot have a value for: not nullable, no null default, or a required CSV column. */
    REQUIRED_FIELD_ADDED(Verdict.BREAKING, "required column addition"),
    /** An optional column added before an existing one, whose position then changes. */
    FIELD_INSERTED(Verdict.BREAKING, "column insertion between existing columns"),
    FIELD_REMOVED(Verdict.BREAKING, "column removal"),
    /** Declared by an Avro alias, or detected: a removed and an added field at the same position with the same type. */
    FIELD_RENAMED(Verdict.BREAKING, "rename"),
    /** The order of existing columns changed (the lake's writers address columns by position). */
    FIELD_MOVED(Verdict.BREAKING, "column move"),
    TYPE_CHANGED(Verdict.BREAKING, "type change"),
    /** A decimal's precision or scale changed. */
    DECIMAL_CHANGED(Verdict.BREAKING, "precision/scale change"),
    /** Required became nullable or nullable became required. */
    NULLABILITY_CHANGED(Verdict.BREAKING, "nullability change"),
    DEFAULT_CHANGED(Verdict.BREAKING, "default-value change"),
    /** The field's doc changed: the doc is the meaning, so the meaning changed. */
    MEANING_CHANGED(Verdict.BREAKING, "meaning change (its doc changed)"),
    /** The CSV column a field is read from changed, appeared or disappeared. */
    SOURCE_COLUMN_CHANGED(Verdict.BREAKING, "source-column change"),
    /** A CSV column became required or optional. */
    SOURCE_REQUIREMENT_CHANGED(Verdict.BREAKING, "source-column requirement change"),
    /** The reference data enumerating a field's values changed, appeared or disappeared. */
    REFERENCE_DATA_CHANGED(Verdict.BREAKING, "reference-data change"),
    /** The Avro record's full name changed (Avro readers resolve records by name; the Parquet message name). */
    RECORD_RENAMED(Verdict.BREAKING, "record rename"),
    /** The record's doc (what one row is) changed. */
    DATASET_MEANING_CHANGED(Verdict.BREAKING, "meaning change of the dataset (the record's doc changed)");

    private final Verdict verdict;
    private final String description;

    ChangeKind(Verdict verdict, String description) {
        this.verdict = verdict;
        this.description = description;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** What the change is, for messages: "precision/scale change". */
    public String description() {
        return description;
    }
}
