package dev.mortgagelake.retry;

import dev.mortgagelake.parquet.StoredParquetReader;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.validation.quarantine.QuarantineSchemaV1;
import org.apache.avro.generic.GenericRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a quarantine or condemned batch as a reviewer sees them: the original values, every
 * error, the attempt count and the history of earlier attempts ({@link QuarantineSchemaV1}).
 */
public final class QuarantinedRows {

    private final StoredParquetReader reader;

    public QuarantinedRows(StoredParquetReader reader) {
        this.reader = reader;
    }

    /** One earlier attempt of a row. */
    public record Attempt(int attempt, Instant attemptedAt, List<String> errorCodes, String validationError, String runId) {
    }

    /** One row: values exactly as read (null where the record had no such field). */
    public record Row(String transactionId, String customerId, String transactionAmount, String currency,
                      String transactionTimestamp, long sourceLine, String rawRecord, String validationError,
                      List<String> errorCodes, int attemptCount, List<Attempt> retryHistory, String runId) {
    }

    /** The batch's rows, in file order: at most {@code limit} after skipping {@code offset}. */
    public List<Row> read(Location file, long offset, int limit) {
        List<Row> rows = new ArrayList<>();
        long[] index = {0};
        reader.read(file, -1, null, record -> {
            long i = index[0]++;
            if (i >= offset && rows.size() < limit) {
                rows.add(row(record));
            }
        });
        return rows;
    }

    private static Row row(GenericRecord r) {
        List<Attempt> history = new ArrayList<>();
        for (Object element : (List<?>) r.get(QuarantineSchemaV1.RETRY_HISTORY)) {
            GenericRecord a = (GenericRecord) element;
            history.add(new Attempt((Integer) a.get("attempt"), micros((Long) a.get("attempted_at")), strings(a.get("error_codes")),
                    str(a.get("validation_error")), str(a.get("run_id"))));
        }
        return new Row(str(r.get(QuarantineSchemaV1.TRANSACTION_ID)), str(r.get(QuarantineSchemaV1.CUSTOMER_ID)),
                str(r.get(QuarantineSchemaV1.TRANSACTION_AMOUNT)), str(r.get(QuarantineSchemaV1.CURRENCY)),
                str(r.get(QuarantineSchemaV1.TRANSACTION_TIMESTAMP)), (Long) r.get(QuarantineSchemaV1.SOURCE_LINE),
                str(r.get(QuarantineSchemaV1.RAW_RECORD)), str(r.get(QuarantineSchemaV1.VALIDATION_ERROR)),
                strings(r.get(QuarantineSchemaV1.ERROR_CODES)), (Integer) r.get(QuarantineSchemaV1.ATTEMPT_COUNT), history,
                str(r.get(QuarantineSchemaV1.RUN_ID)));
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) list) {
            out.add(str(o));
        }
        return out;
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }
}
