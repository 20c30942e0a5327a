package dev.mortgagelake.validation.quarantine;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One earlier validation attempt of a quarantined row: an element of {@code retry_history}
 * ({@link QuarantineSchemaV1#RETRY_ATTEMPT}).
 *
 * @param attempt         the attempt number (1 = the validation of the Bronze file)
 * @param attemptedAt     when it was made (stored to the microsecond)
 * @param errorCodes      the codes it failed with
 * @param validationError its {@code validation_error}
 * @param runId           the run that made it (the first attempt's run is the row's origin run); empty
 *                        in files written before {@code run_id} was added to the element
 */
public record RetryAttempt(int attempt, Instant attemptedAt, List<String> errorCodes, String validationError, String runId) {

    public RetryAttempt {
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        errorCodes = List.copyOf(errorCodes);
        Objects.requireNonNull(validationError, "validationError");
        runId = runId == null ? "" : runId;
    }

    /** This attempt as a {@code retry_history} element. */
    GenericRecord toAvro() {
        GenericData.Record record = new GenericData.Record(QuarantineSchemaV1.RETRY_ATTEMPT);
        record.put("attempt", attempt);
        record.put("attempted_at", ChronoUnit.MICROS.between(Instant.EPOCH, attemptedAt));
        record.put("error_codes", errorCodes);
        record.put("validation_error", validationError);
        record.put("run_id", runId);
        return record;
    }

    /** Reads a {@code retry_history} element as read without logical-type conversions (micros as a long). */
    static RetryAttempt fromAvro(GenericRecord record) {
        long micros = (Long) record.get("attempted_at");
        Object runId = record.getSchema().getField("run_id") == null ? null : record.get("run_id");
        return new RetryAttempt((Integer) record.get("attempt"), Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
                strings(record.get("error_codes")), record.get("validation_error").toString(),
                runId == null ? null : runId.toString());
    }

    static List<String> strings(Object avroList) {
        List<?> list = (List<?>) avroList;
        List<String> strings = new ArrayList<>(list.size());
        for (Object element : list) {
            strings.add(element.toString());
        }
        return strings;
    }
}
