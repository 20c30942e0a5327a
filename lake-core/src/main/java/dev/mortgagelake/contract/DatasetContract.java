package dev.mortgagelake.contract;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One version of one dataset's contract: the Avro schema file
 * {@code contracts/<table>/v<schema_v>.<minor>.avsc} of lake-core's resources.
 *
 * <p>The file is an Avro record schema whose fields carry, besides their type:
 * <ul>
 *   <li>{@code "doc"} (required on every field, and on the record): the meaning of the column. A
 *       changed doc is a changed meaning ({@link ChangeKind#MEANING_CHANGED}).</li>
 *   <li>{@code "source"} (top-level fields of a Silver contract): the CSV column the value is read
 *       from, {@code {"column": "TransactionID", "required": true}} ({@link SourceColumn}).</li>
 *   <li>{@code "reference_data"} (top-level fields): the object key, in the Silver bucket, of the
 *       reference data that enumerates the allowed values, e.g.
 *       {@code "reference/currencies/iso4217_allow_list.json"}.</li>
 * </ul>
 * Any other attribute on a field or on a record is refused, so a misspelt attribute is an error, not
 * a silently ignored mapping.
 *
 * <p>{@link #writerSchema()} is the schema the dataset's Parquet files are written with (and the
 * Iceberg and Glue schemas derive from): the contract without its docs and lake attributes, so the
 * Avro schema in the files' footers is the same whatever the documentation says.
 */
public final class DatasetContract {

    /** Field attribute: the CSV column a Silver field is read from. */
    public static final String SOURCE = "source";
    /** Field attribute: the reference data enumerating a field's allowed values. */
    public static final String REFERENCE_DATA = "reference_data";

    /** {@code <table>/v<schema_v>.<minor>.avsc}, relative to the contract directory. */
    static final Pattern FILE = Pattern.compile("([a-z][a-z0-9_]*)/(v[0-9]+\\.[0-9]+)\\.avsc");

    private static final Set<String> FIELD_ATTRIBUTES = Set.of(SOURCE, REFERENCE_DATA);
    private static final Set<String> SOURCE_KEYS = Set.of("column", "required");

    private final String table;
    private final ContractVersion version;
    private final String file;
    private final Schema schema;
    private final Schema writerSchema;
    private final String sha256;
    private final List<ContractField> fields;
    private final Map<String, ContractField> fieldsByName;

    private DatasetContract(String table, ContractVersion version, String file, Schema schema, String sha256,
                            List<ContractField> fields) {
        this.table = table;
        this.version = version;
        this.file = file;
        this.schema = schema;
        this.writerSchema = written(schema);
        this.sha256 = sha256;
        this.fields = List.copyOf(fields);
        Map<String, ContractField> byName = new LinkedHashMap<>();
        for (ContractField field : fields) {
            byName.put(field.name(), field);
        }
        this.fieldsByName = byName;
    }

    /**
     * Reads the contract file {@code file} ({@code <table>/v<schema_v>.<minor>.avsc}) from its bytes.
     *
     * @throws ContractException naming the file and the problem when the file is not a valid contract
     */
    public static DatasetContract parse(String file, byte[] bytes) {
        Matcher name = FILE.matcher(file);
        if (!name.matches()) {
            throw new ContractException(file + ": not a contract file name (expected <table>/v<schema_v>.<minor>.avsc,"
                    + " e.g. silver_transactions/v1.0.avsc)");
        }
        String table = name.group(1);
        ContractVersion version;
        try {
            version = ContractVersion.parse(name.group(2));
        } catch (IllegalArgumentException e) {
            throw new ContractException(file + ": " + e.getMessage(), e);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(utf8(file, bytes));
        } catch (AvroRuntimeException e) {
            throw new ContractException(file + ": not a valid Avro schema: " + e.getMessage(), e);
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw new ContractException(file + ": a contract is an Avro record schema, not " + schema.getType());
        }
        String recordSuffix = "V" + version.schema();
        if (!schema.getName().endsWith(recordSuffix)) {
            throw new ContractException(file + ": record name " + schema.getName() + " must end with " + recordSuffix
                    + " (each schema_v has its own record name, which parquet-avro writes as the Parquet message name)");
        }
        if (blank(schema.getDoc())) {
            throw new ContractException(file + ": the record needs a doc saying what one row is");
        }
        if (!schema.getObjectProps().isEmpty()) {
            throw new ContractException(file + ": unknown record attribute(s) " + schema.getObjectProps().keySet());
        }
        List<ContractField> fields = new ArrayList<>();
        Set<String> sourceColumns = new HashSet<>();
        for (Schema.Field field : schema.getFields()) {
            ContractField contractField = field(file, field);
            contractField.source().ifPresent(source -> {
                if (!sourceColumns.add(source.column())) {
                    throw new ContractException(file + ": source column " + source.column() + " is mapped to more than one field");
                }
            });
            fields.add(contractField);
            nested(file, field.name(), field.schema(), new HashSet<>());
        }
        return new DatasetContract(table, version, file, schema, sha256(bytes), fields);
    }

    /** The dataset's table name, e.g. {@code silver_transactions} (the directory of its contract files). */
    public String table() {
        return table;
    }

    public ContractVersion version() {
        return version;
    }

    /** The contract file, relative to the contract directory: {@code silver_transactions/v1.0.avsc}. */
    public String file() {
        return file;
    }

    /** The contract as written in its file: docs and lake attributes included. */
    public Schema schema() {
        return schema;
    }

    /**
     * The schema the dataset's files are written with: {@link #schema()} without docs and lake
     * attributes (Avro types, logical types, defaults, aliases and order kept). Parquet writers, the
     * Iceberg schema and the Glue columns are derived from it.
     */
    public Schema writerSchema() {
        return writerSchema;
    }

    /** SHA-256 of the file's bytes, lower-case hex (what {@code released.sha256} locks). */
    public String sha256() {
        return sha256;
    }

    /** The top-level fields, in file order. */
    public List<ContractField> fields() {
        return fields;
    }

    /** The field named {@code name}. */
    public ContractField field(String name) {
        ContractField field = fieldsByName.get(name);
        if (field == null) {
            throw new IllegalArgumentException(this + " has no field " + name + " (fields: " + fieldsByName.keySet() + ")");
        }
        return field;
    }

    /** The CSV column the field {@code name} is read from. */
    public String sourceColumn(String name) {
        return field(name).source().orElseThrow(() -> new IllegalArgumentException(this + ": field " + name
                + " has no source column")).column();
    }

    /** The CSV columns every file must carry, in field order. */
    public List<String> requiredSourceColumns() {
        List<String> columns = new ArrayList<>();
        for (ContractField field : fields) {
            field.source().filter(SourceColumn::required).ifPresent(source -> columns.add(source.column()));
        }
        return List.copyOf(columns);
    }

    /** The CSV columns a file may carry (read when present, absent without error), in field order. */
    public List<String> optionalSourceColumns() {
        List<String> columns = new ArrayList<>();
        for (ContractField field : fields) {
            field.source().filter(source -> !source.required()).ifPresent(source -> columns.add(source.column()));
        }
        return List.copyOf(columns);
    }

    @Override
    public String toString() {
        return table + " " + version;
    }

    private static ContractField field(String file, Schema.Field field) {
        if (blank(field.doc())) {
            throw new ContractException(file + ": field " + field.name() + " needs a doc saying what it means");
        }
        Map<String, Object> attributes = field.getObjectProps();
        for (String attribute : attributes.keySet()) {
            if (!FIELD_ATTRIBUTES.contains(attribute)) {
                throw new ContractException(file + ": unknown attribute '" + attribute + "' on field " + field.name()
                        + " (contract attributes: " + SOURCE + ", " + REFERENCE_DATA + ")");
            }
        }
        Optional<SourceColumn> source = Optional.empty();
        if (attributes.containsKey(SOURCE)) {
            source = Optional.of(source(file, field.name(), attributes.get(SOURCE)));
        }
        Optional<String> referenceData = Optional.empty();
        if (attributes.containsKey(REFERENCE_DATA)) {
            if (!(attributes.get(REFERENCE_DATA) instanceof String key) || key.isBlank()) {
                throw new ContractException(file + ": field " + field.name() + ": " + REFERENCE_DATA
                        + " must be the object key of the reference data, e.g. \"reference/currencies/iso4217_allow_list.json\"");
            }
            referenceData = Optional.of(key);
        }
        return new ContractField(field.name(), field.pos(), field.doc().strip(), source, referenceData);
    }

    private static SourceColumn source(String file, String field, Object value) {
        String expected = " must be {\"column\": \"<CSV header name>\", \"required\": true|false}";
        if (!(value instanceof Map<?, ?> map) || !map.keySet().equals(SOURCE_KEYS)) {
            throw new ContractException(file + ": field " + field + ": " + SOURCE + expected);
        }
        if (!(map.get("column") instanceof String column) || column.isBlank() || !(map.get("required") instanceof Boolean required)) {
            throw new ContractException(file + ": field " + field + ": " + SOURCE + expected);
        }
        return new SourceColumn(column, required);
    }

    /** Nested records (e.g. list elements) need docs on their fields too, and carry no lake attributes. */
    private static void nested(String file, String path, Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (!schema.getObjectProps().isEmpty()) {
                    throw new ContractException(file + ": unknown attribute(s) " + schema.getObjectProps().keySet()
                            + " on record " + schema.getName());
                }
                for (Schema.Field field : schema.getFields()) {
                    String fieldPath = path + "." + field.name();
                    if (blank(field.doc())) {
                        throw new ContractException(file + ": field " + fieldPath + " needs a doc saying what it means");
                    }
                    if (!field.getObjectProps().isEmpty()) {
                        throw new ContractException(file + ": unknown attribute(s) " + field.getObjectProps().keySet()
                                + " on field " + fieldPath + " (source and reference_data belong to top-level fields)");
                    }
                    nested(file, fieldPath, field.schema(), seen);
                }
            }
            case ARRAY -> nested(file, path + "[]", schema.getElementType(), seen);
            case MAP -> nested(file, path + "{}", schema.getValueType(), seen);
            case UNION -> {
                for (Schema branch : schema.getTypes()) {
                    nested(file, path, branch, seen);
                }
            }
            default -> {
            }
        }
    }

    /** {@code schema} without docs and lake attributes: what the files are written with. */
    static Schema written(Schema schema) {
        return written(schema, new HashMap<>());
    }

    private static Schema written(Schema schema, Map<String, Schema> named) {
        switch (schema.getType()) {
            case RECORD -> {
                Schema known = named.get(schema.getFullName());
                if (known != null) {
                    return known;
                }
                Schema copy = Schema.createRecord(schema.getName(), null, schema.getNamespace(), schema.isError());
                named.put(schema.getFullName(), copy);
                schema.getAliases().forEach(copy::addAlias);
                List<Schema.Field> fields = new ArrayList<>();
                for (Schema.Field field : schema.getFields()) {
                    Schema.Field fieldCopy = new Schema.Field(field.name(), written(field.schema(), named), null,
                            field.hasDefaultValue() ? field.defaultVal() : null, field.order());
                    field.aliases().forEach(fieldCopy::addAlias);
                    fields.add(fieldCopy);
                }
                copy.setFields(fields);
                return copy;
            }
            case FIXED, ENUM -> {
                Schema known = named.get(schema.getFullName());
                if (known != null) {
                    return known;
                }
                Schema copy = schema;
                if (schema.getDoc() != null) {
                    copy = schema.getType() == Schema.Type.FIXED
                            ? Schema.createFixed(schema.getName(), null, schema.getNamespace(), schema.getFixedSize())
                            : Schema.createEnum(schema.getName(), null, schema.getNamespace(), schema.getEnumSymbols(),
                            schema.getEnumDefault());
                    schema.getAliases().forEach(copy::addAlias);
                    copyProperties(schema, copy);
                }
                named.put(schema.getFullName(), copy);
                return copy;
            }
            case ARRAY -> {
                Schema items = written(schema.getElementType(), named);
                if (items == schema.getElementType()) {
                    return schema;
                }
                Schema copy = Schema.createArray(items);
                copyProperties(schema, copy);
                return copy;
            }
            case MAP -> {
                Schema values = written(schema.getValueType(), named);
                if (values == schema.getValueType()) {
                    return schema;
                }
                Schema copy = Schema.createMap(values);
                copyProperties(schema, copy);
                return copy;
            }
            case UNION -> {
                List<Schema> branches = new ArrayList<>();
                boolean same = true;
                for (Schema branch : schema.getTypes()) {
                    Schema copy = written(branch, named);
                    same &= copy == branch;
                    branches.add(copy);
                }
                return same ? schema : Schema.createUnion(branches);
            }
            default -> {
                return schema;
            }
        }
    }

    /** Copies type properties (logicalType, precision, scale, …) in their order, and the logical type. */
    private static void copyProperties(Schema from, Schema to) {
        from.getObjectProps().forEach(to::addProp);
        LogicalType logicalType = from.getLogicalType();
        if (logicalType != null) {
            logicalType.addToSchema(to);
        }
    }

    private static String utf8(String file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ContractException(file + ": not UTF-8", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
