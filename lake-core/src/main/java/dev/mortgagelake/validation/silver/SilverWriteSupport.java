package dev.mortgagelake.validation.silver;

import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

/**
 * Writes Silver v1 rows (contract v1.1) straight to Parquet's record consumer, without building Avro records: no
 * record, no {@code GenericData.Fixed}, no schema walk and (for ASCII strings) no byte arrays per row.
 *
 * <p>The file is the one parquet-avro writes for the same rows from {@link SilverSchemaV1#SCHEMA}
 * (checked byte for byte by {@code SilverWriteSupportTest}): the same {@link #PARQUET_SCHEMA}, the same
 * values, and the same footer keys parquet-avro's write support adds, the Avro schema under
 * {@value #AVRO_SCHEMA_KEY} and {@code writer.model.name=avro}. So every reader of Silver (Gold,
 * DuckDB, Athena, parquet-avro readers that take their Avro schema from the footer) reads it as before.
 *
 * <p>One instance per file (parquet binds it to the file's record consumer). The {@link Row} passed
 * to {@link #write} is read during the call only, so callers may reuse one row.
 */
final class SilverWriteSupport extends WriteSupport<SilverWriteSupport.Row> {

    /** Footer key of the Avro schema, as parquet-avro's {@code AvroWriteSupport} writes and its readers look up. */
    static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

    /** Name parquet-avro's write support gives; the footer records it as {@code writer.model.name}. */
    private static final String AVRO_MODEL_NAME = "avro";

    /** {@link SilverSchemaV1#SCHEMA} as parquet-avro converts it (field order = {@code SilverSchemaV1.POS_*}). */
    static final MessageType PARQUET_SCHEMA = Types.buildMessage()
            .required(BINARY).as(LogicalTypeAnnotation.stringType()).named(SilverSchemaV1.TRANSACTION_ID)
            .required(BINARY).as(LogicalTypeAnnotation.stringType()).named(SilverSchemaV1.CUSTOMER_ID)
            .required(FIXED_LEN_BYTE_ARRAY).length(Long.BYTES).as(LogicalTypeAnnotation.decimalType(2, 18))
            .named(SilverSchemaV1.TRANSACTION_AMOUNT)
            .required(BINARY).as(LogicalTypeAnnotation.stringType()).named(SilverSchemaV1.CURRENCY)
            .required(INT64).as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
            .named(SilverSchemaV1.TRANSACTION_TIMESTAMP)
            .required(BINARY).as(LogicalTypeAnnotation.stringType()).named(SilverSchemaV1.RUN_ID)
            .required(INT64).named(SilverSchemaV1.SOURCE_LINE)
            .optional(BINARY).as(LogicalTypeAnnotation.stringType()).named(SilverSchemaV1.TRANSACTION_TYPE)
            .named(SilverSchemaV1.SCHEMA.getFullName());

    private static final String AVRO_SCHEMA_JSON = SilverSchemaV1.SCHEMA.toString();

    private static final VarHandle LONG_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Binary runId;
    /**
     * The current row's amount: 8-byte big-endian two's complement of the cents, overwritten per row.
     * Handed to parquet as a reused binary, which parquet consumes within the call: the plain encoder
     * copies the bytes into the page, and statistics (and a dictionary, were it on) keep a copy.
     */
    private final byte[] amountBytes = new byte[Long.BYTES];
    private final Binary amount = Binary.fromReusedByteArray(amountBytes);
    /**
     * UTF-8 of the string value being written, one buffer for every string column: parquet has
     * consumed a value (as for {@link #amountBytes}) before the next is added. parquet-avro hands Avro
     * {@code Utf8} strings to parquet as reused binaries in the same way.
     */
    private byte[] stringBytes = new byte[64];
    private RecordConsumer consumer;

    /** @param runId the {@code run_id} of every row of the file */
    SilverWriteSupport(String runId) {
        // Array-backed rather than Binary.fromString's buffer-backed binary: the dictionary hashes and
        // compares it on every row, which is cheaper on an array.
        this.runId = Binary.fromConstantByteArray(required(runId, SilverSchemaV1.RUN_ID).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        return context();
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return context();
    }

    private static WriteContext context() {
        return new WriteContext(PARQUET_SCHEMA, Map.of(AVRO_SCHEMA_KEY, AVRO_SCHEMA_JSON));
    }

    @Override
    public String getName() {
        return AVRO_MODEL_NAME;
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Row row) {
        LONG_BIG_ENDIAN.set(amountBytes, 0, row.amountCents);
        RecordConsumer out = consumer;
        out.startMessage();
        string(out, SilverSchemaV1.TRANSACTION_ID, SilverSchemaV1.POS_TRANSACTION_ID, row.transactionId);
        string(out, SilverSchemaV1.CUSTOMER_ID, SilverSchemaV1.POS_CUSTOMER_ID, row.customerId);
        out.startField(SilverSchemaV1.TRANSACTION_AMOUNT, SilverSchemaV1.POS_TRANSACTION_AMOUNT);
        out.addBinary(amount);
        out.endField(SilverSchemaV1.TRANSACTION_AMOUNT, SilverSchemaV1.POS_TRANSACTION_AMOUNT);
        string(out, SilverSchemaV1.CURRENCY, SilverSchemaV1.POS_CURRENCY, row.currency);
        out.startField(SilverSchemaV1.TRANSACTION_TIMESTAMP, SilverSchemaV1.POS_TRANSACTION_TIMESTAMP);
        out.addLong(row.timestampMicros);
        out.endField(SilverSchemaV1.TRANSACTION_TIMESTAMP, SilverSchemaV1.POS_TRANSACTION_TIMESTAMP);
        out.startField(SilverSchemaV1.RUN_ID, SilverSchemaV1.POS_RUN_ID);
        out.addBinary(runId);
        out.endField(SilverSchemaV1.RUN_ID, SilverSchemaV1.POS_RUN_ID);
        out.startField(SilverSchemaV1.SOURCE_LINE, SilverSchemaV1.POS_SOURCE_LINE);
        out.addLong(row.sourceLine);
        out.endField(SilverSchemaV1.SOURCE_LINE, SilverSchemaV1.POS_SOURCE_LINE);
        if (row.transactionType != null) {
            string(out, SilverSchemaV1.TRANSACTION_TYPE, SilverSchemaV1.POS_TRANSACTION_TYPE, row.transactionType);
        }
        out.endMessage();
    }

    private void string(RecordConsumer out, String column, int index, String value) {
        out.startField(column, index);
        out.addBinary(utf8(required(value, column)));
        out.endField(column, index);
    }

    /**
     * {@code value} in UTF-8, the bytes {@link Binary#fromString} gives. ASCII (identifiers, currency
     * codes) is copied into {@link #stringBytes} without allocating an array; anything else goes
     * through {@link Binary#fromString}, so that only the ASCII case needs to be right here.
     */
    private Binary utf8(String value) {
        int length = value.length();
        byte[] bytes = stringBytes;
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, 2 * bytes.length)];
            stringBytes = bytes;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                return Binary.fromString(value);
            }
            bytes[i] = (byte) c;
        }
        return Binary.fromReusedByteArray(bytes, 0, length);
    }

    /**
     * Every column but {@code transaction_type} is required: a null is a bug upstream, refused as parquet-avro did (the writer then
     * aborts, as after any failed write).
     */
    private static String required(String value, String column) {
        if (value == null) {
            throw new IllegalArgumentException("Null value for the required Silver column " + column);
        }
        return value;
    }

    /** One Silver row apart from its {@code run_id} (the file's). Mutable so that a writer can reuse one. */
    static final class Row {
        String transactionId;
        String customerId;
        long amountCents;
        String currency;
        long timestampMicros;
        long sourceLine;
        /** Nullable in the schema (contract v1.1); the validator always sets it ({@code UNKNOWN} when the file has no type). */
        String transactionType;

        Row set(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                long sourceLine) {
            return set(transactionId, customerId, amountCents, currency, timestampMicros, sourceLine, null);
        }

        Row set(String transactionId, String customerId, long amountCents, String currency, long timestampMicros,
                long sourceLine, String transactionType) {
            this.transactionType = transactionType;
            this.transactionId = transactionId;
            this.customerId = customerId;
            this.amountCents = amountCents;
            this.currency = currency;
            this.timestampMicros = timestampMicros;
            this.sourceLine = sourceLine;
            return this;
        }
    }
}
