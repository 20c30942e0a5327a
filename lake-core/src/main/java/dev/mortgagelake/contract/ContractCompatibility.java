package dev.mortgagelake.contract;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Classifies every change between two versions of one table's contract ({@link ChangeKind}, each with
 * its {@link Verdict}).
 *
 * <p>Fields are matched by name. A field of the newer version that lists an unmatched old field in
 * its Avro {@code aliases} is a rename of it (declared). Among the remaining unmatched fields, an old
 * and a new field at the same position with the same type and nullability are a rename too
 * (detected); everything still unmatched is a removal or an addition. Nested records (a list of
 * records, a record column) are compared field by field the same way, their fields named by path
 * ({@code retry_history[].attempt}).
 */
public final class ContractCompatibility {

    private static final String ABSENT = "(absent)";
    private static final String RECORD = "(record)";

    private ContractCompatibility() {
    }

    /** Every change from {@code older} to {@code newer}, two versions of the same table's contract. */
    public static CompatibilityReport compare(DatasetContract older, DatasetContract newer) {
        if (!older.table().equals(newer.table())) {
            throw new IllegalArgumentException("Contracts of two tables are not versions of each other: " + older + ", " + newer);
        }
        Comparison comparison = new Comparison(newer.table(), newer.version());
        comparison.record("", older.schema(), newer.schema(), true);
        return new CompatibilityReport(newer.table(), older.version(), newer.version(), comparison.changes);
    }

    /** One comparison: the changes found so far and what the messages name. */
    private static final class Comparison {
        private final String table;
        private final ContractVersion version;
        private final List<ContractChange> changes = new ArrayList<>();
        /** Record pairs already compared (a named type used twice is compared once; no endless recursion). */
        private final Set<String> compared = new HashSet<>();

        Comparison(String table, ContractVersion version) {
            this.table = table;
            this.version = version;
        }

        /** Compares two record schemas; {@code prefix} is the path of their fields ("" at top level, "x[]." nested). */
        void record(String prefix, Schema older, Schema newer, boolean topLevel) {
            if (!compared.add(older.getFullName() + " -> " + newer.getFullName())) {
                return;
            }
            String recordName = prefix.isEmpty() ? RECORD : prefix.substring(0, prefix.length() - 1);
            if (!older.getFullName().equals(newer.getFullName())) {
                add(ChangeKind.RECORD_RENAMED, recordName, older.getFullName(), newer.getFullName(),
                        older.getFullName() + " -> " + newer.getFullName());
            }
            if (topLevel && !sameText(older.getDoc(), newer.getDoc())) {
                String[] excerpts = excerpts(normal(older.getDoc()), normal(newer.getDoc()));
                add(ChangeKind.DATASET_MEANING_CHANGED, RECORD, text(older.getDoc()), text(newer.getDoc()),
                        "doc " + excerpts[0] + " -> " + excerpts[1]);
            }
            List<Schema.Field> oldFields = older.getFields();
            List<Schema.Field> newFields = newer.getFields();
            Map<Schema.Field, Schema.Field> newOf = new IdentityHashMap<>();
            Map<Schema.Field, Schema.Field> oldOf = new IdentityHashMap<>();
            Map<Schema.Field, String> renamedHow = new IdentityHashMap<>();
            for (Schema.Field oldField : oldFields) {
                Schema.Field newField = newer.getField(oldField.name());
                if (newField != null) {
                    newOf.put(oldField, newField);
                    oldOf.put(newField, oldField);
                }
            }
            for (Schema.Field newField : newFields) {
                if (oldOf.containsKey(newField)) {
                    continue;
                }
                for (String alias : newField.aliases()) {
                    Schema.Field oldField = older.getField(alias);
                    if (oldField != null && !newOf.containsKey(oldField)) {
                        newOf.put(oldField, newField);
                        oldOf.put(newField, oldField);
                        renamedHow.put(newField, "declared by alias");
                        break;
                    }
                }
            }
            for (Schema.Field oldField : oldFields) {
                if (newOf.containsKey(oldField) || oldField.pos() >= newFields.size()) {
                    continue;
                }
                Schema.Field candidate = newFields.get(oldField.pos());
                if (!oldOf.containsKey(candidate) && sameType(oldField.schema(), candidate.schema())) {
                    newOf.put(oldField, candidate);
                    oldOf.put(candidate, oldField);
                    renamedHow.put(candidate, "same position and type");
                }
            }

            // Relative order of the fields both versions have: a field whose rank differs moved.
            List<Schema.Field> matchedOld = oldFields.stream().filter(newOf::containsKey).toList();
            List<Schema.Field> matchedNew = newFields.stream().filter(oldOf::containsKey).toList();
            for (Schema.Field oldField : oldFields) {
                Schema.Field newField = newOf.get(oldField);
                if (newField == null) {
                    add(ChangeKind.FIELD_REMOVED, prefix + oldField.name(), describe(oldField.schema()), ABSENT,
                            "(" + describe(oldField.schema()) + ") removed");
                    continue;
                }
                String name = prefix + newField.name();
                if (renamedHow.containsKey(newField)) {
                    add(ChangeKind.FIELD_RENAMED, prefix + oldField.name(), oldField.name(), newField.name(),
                            "-> " + newField.name() + " (" + renamedHow.get(newField) + ")");
                }
                int oldRank = matchedOld.indexOf(oldField);
                int newRank = matchedNew.indexOf(newField);
                if (oldRank != newRank) {
                    add(ChangeKind.FIELD_MOVED, name, String.valueOf(oldField.pos() + 1), String.valueOf(newField.pos() + 1),
                            "moved from position " + (oldField.pos() + 1) + " to " + (newField.pos() + 1));
                }
                field(name, oldField, newField);
            }
            for (Schema.Field newField : newFields) {
                if (!oldOf.containsKey(newField)) {
                    Optional<Schema.Field> nextExisting = newFields.stream()
                            .filter(f -> f.pos() > newField.pos() && oldOf.containsKey(f)).findFirst();
                    added(prefix, newField, nextExisting);
                }
            }
        }

        /** An added field; {@code nextExisting} is the first field of both versions after it, if any. */
        private void added(String prefix, Schema.Field field, Optional<Schema.Field> nextExisting) {
            String name = prefix + field.name();
            Optional<SourceColumn> source = source(field);
            String described = describe(field.schema()) + source.map(s -> ", source column " + s).orElse("");
            List<String> reasons = new ArrayList<>();
            if (!nullable(field.schema())) {
                reasons.add("not nullable");
            } else if (!field.hasDefaultValue() || field.defaultVal() != JsonProperties.NULL_VALUE) {
                reasons.add("no null default");
            }
            source.filter(SourceColumn::required).ifPresent(s -> reasons.add("every file would need CSV column " + s.column()));
            if (!reasons.isEmpty()) {
                add(ChangeKind.REQUIRED_FIELD_ADDED, name, ABSENT, described,
                        "added as " + described + " (" + String.join(", ", reasons) + ")");
            } else if (nextExisting.isPresent()) {
                add(ChangeKind.FIELD_INSERTED, name, ABSENT, described, "added as " + described + " at position "
                        + (field.pos() + 1) + ", before existing column " + nextExisting.get().name() + " (new columns go last)");
            } else {
                add(ChangeKind.OPTIONAL_FIELD_ADDED, name, ABSENT, described, "added as " + described);
            }
        }

        /** Compares two matched fields: type, nullability, default, doc, source, reference data. */
        private void field(String name, Schema.Field older, Schema.Field newer) {
            type(name, older.schema(), newer.schema());
            String oldDefault = defaultValue(older);
            String newDefault = defaultValue(newer);
            if (!oldDefault.equals(newDefault)) {
                add(ChangeKind.DEFAULT_CHANGED, name, oldDefault, newDefault, "default " + oldDefault + " -> " + newDefault);
            }
            if (!sameText(older.doc(), newer.doc())) {
                String[] excerpts = excerpts(normal(older.doc()), normal(newer.doc()));
                add(ChangeKind.MEANING_CHANGED, name, text(older.doc()), text(newer.doc()),
                        "doc " + excerpts[0] + " -> " + excerpts[1]);
            }
            Optional<SourceColumn> oldSource = source(older);
            Optional<SourceColumn> newSource = source(newer);
            String oldColumn = oldSource.map(SourceColumn::column).orElse(ABSENT);
            String newColumn = newSource.map(SourceColumn::column).orElse(ABSENT);
            if (!oldColumn.equals(newColumn)) {
                add(ChangeKind.SOURCE_COLUMN_CHANGED, name, oldColumn, newColumn, "source column " + oldColumn + " -> " + newColumn);
            } else if (oldSource.isPresent() && oldSource.get().required() != newSource.get().required()) {
                String before = oldSource.get().required() ? "required" : "optional";
                String after = newSource.get().required() ? "required" : "optional";
                add(ChangeKind.SOURCE_REQUIREMENT_CHANGED, name, before, after,
                        "source column " + oldColumn + " " + before + " -> " + after);
            }
            String oldReference = referenceData(older);
            String newReference = referenceData(newer);
            if (!oldReference.equals(newReference)) {
                add(ChangeKind.REFERENCE_DATA_CHANGED, name, oldReference, newReference,
                        "reference data " + oldReference + " -> " + newReference);
            }
        }

        /** Compares two types at {@code path}: nullability, then the non-null type (records field by field). */
        private void type(String path, Schema older, Schema newer) {
            if (nullable(older) != nullable(newer)) {
                add(ChangeKind.NULLABILITY_CHANGED, path, describe(older), describe(newer),
                        describe(older) + " -> " + describe(newer));
            }
            Schema oldType = nonNull(older);
            Schema newType = nonNull(newer);
            if (DatasetContract.written(oldType).equals(DatasetContract.written(newType))) {
                if (oldType.getType() == Schema.Type.RECORD) {
                    record(path + ".", oldType, newType, false); // same shape; docs may differ
                } else if (oldType.getType() == Schema.Type.ARRAY) {
                    type(path + "[]", oldType.getElementType(), newType.getElementType());
                } else if (oldType.getType() == Schema.Type.MAP) {
                    type(path + "{}", oldType.getValueType(), newType.getValueType());
                }
                return;
            }
            if (oldType.getType() == Schema.Type.RECORD && newType.getType() == Schema.Type.RECORD) {
                record(path + ".", oldType, newType, false);
            } else if (oldType.getType() == Schema.Type.ARRAY && newType.getType() == Schema.Type.ARRAY) {
                type(path + "[]", oldType.getElementType(), newType.getElementType());
            } else if (oldType.getType() == Schema.Type.MAP && newType.getType() == Schema.Type.MAP) {
                type(path + "{}", oldType.getValueType(), newType.getValueType());
            } else if (oldType.getLogicalType() instanceof LogicalTypes.Decimal oldDecimal
                    && newType.getLogicalType() instanceof LogicalTypes.Decimal newDecimal
                    && (oldDecimal.getPrecision() != newDecimal.getPrecision() || oldDecimal.getScale() != newDecimal.getScale())) {
                add(ChangeKind.DECIMAL_CHANGED, path, describe(oldType), describe(newType),
                        describe(oldType) + " -> " + describe(newType));
            } else {
                String before = describe(oldType);
                String after = describe(newType);
                if (before.equals(after)) { // same logical type, other representation (e.g. fixed(8) -> fixed(9))
                    before = DatasetContract.written(oldType).toString();
                    after = DatasetContract.written(newType).toString();
                }
                add(ChangeKind.TYPE_CHANGED, path, before, after, before + " -> " + after);
            }
        }

        private void add(ChangeKind kind, String field, String before, String after, String detail) {
            String message = table + " " + version + ": " + field + " " + detail + " is a " + kind.verdict() + " "
                    + kind.description()
                    + (kind.verdict() == Verdict.BREAKING ? "; it needs a new schema_v (" + version.nextSchema().schemaVersion() + ")" : "");
            changes.add(new ContractChange(kind, field, before, after, message));
        }
    }

    /** Whether two field types are the same apart from docs: the test for a rename detected by position. */
    private static boolean sameType(Schema older, Schema newer) {
        return DatasetContract.written(older).equals(DatasetContract.written(newer));
    }

    static boolean nullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
    }

    /** The type without its {@code null} branch (a union of what remains when several branches do). */
    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
        return branches.size() == 1 ? branches.get(0) : Schema.createUnion(branches);
    }

    /** A readable type: {@code decimal(18,2)}, {@code timestamp-micros}, {@code nullable string}, {@code array<string>}. */
    static String describe(Schema schema) {
        if (nullable(schema) && schema.getType() == Schema.Type.UNION) {
            return "nullable " + describe(nonNull(schema));
        }
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
        }
        if (logical != null) {
            return logical.getName();
        }
        return switch (schema.getType()) {
            case RECORD -> "record " + schema.getName();
            case ARRAY -> "array<" + describe(schema.getElementType()) + ">";
            case MAP -> "map<" + describe(schema.getValueType()) + ">";
            case FIXED -> "fixed(" + schema.getFixedSize() + ")";
            case ENUM -> "enum " + schema.getName() + schema.getEnumSymbols();
            case UNION -> schema.getTypes().stream().map(ContractCompatibility::describe)
                    .collect(Collectors.joining(" | ", "union<", ">"));
            default -> schema.getType().getName().toLowerCase(Locale.ROOT);
        };
    }

    private static Optional<SourceColumn> source(Schema.Field field) {
        if (field.getObjectProp(DatasetContract.SOURCE) instanceof Map<?, ?> map
                && map.get("column") instanceof String column && map.get("required") instanceof Boolean required) {
            return Optional.of(new SourceColumn(column, required));
        }
        return Optional.empty();
    }

    private static String referenceData(Schema.Field field) {
        return field.getObjectProp(DatasetContract.REFERENCE_DATA) instanceof String key ? key : ABSENT;
    }

    private static String defaultValue(Schema.Field field) {
        if (!field.hasDefaultValue()) {
            return "(none)";
        }
        Object value = field.defaultVal();
        return value == JsonProperties.NULL_VALUE ? "null" : value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
    }

    /** Docs are compared with runs of whitespace as one space: re-wrapping a doc does not change its meaning. */
    private static boolean sameText(String older, String newer) {
        return normal(older).equals(normal(newer));
    }

    private static String normal(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    private static String text(String doc) {
        return doc == null || doc.isBlank() ? ABSENT : normal(doc);
    }

    /**
     * Quoted excerpts of two texts around their first difference (at most 30 characters before it and
     * 50 after), so a message shows what changed in a long doc.
     */
    static String[] excerpts(String older, String newer) {
        int common = 0;
        int limit = Math.min(older.length(), newer.length());
        while (common < limit && older.charAt(common) == newer.charAt(common)) {
            common++;
        }
        int from = Math.max(0, common - 30);
        return new String[] {excerpt(older, from, common), excerpt(newer, from, common)};
    }

    private static String excerpt(String text, int from, int difference) {
        if (text.isEmpty()) {
            return ABSENT;
        }
        int to = Math.min(text.length(), difference + 50);
        return "\"" + (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "") + "\"";
    }
}
