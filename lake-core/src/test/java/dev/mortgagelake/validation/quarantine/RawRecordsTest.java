package dev.mortgagelake.validation.quarantine;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RawRecordsTest {

    static Stream<List<String>> records() {
        return Stream.of(
                List.of("T1", "C1", "1.00", "EUR", "2024-01-01T00:00:00Z"),
                List.of("a,b", "say \"hi\"", "line\nbreak", "cr\rlf", " padded "),
                List.of(""),
                List.of("", ""),
                List.of("\"", ",", ""));
    }

    @ParameterizedTest
    @MethodSource("records")
    void parsingTheEncodingGivesTheFieldsBack(List<String> fields) {
        String encoded = RawRecords.encode(fields);

        assertThat(encoded).doesNotEndWith("\n");
        CsvRecord parsed = CsvReader.builder().skipEmptyLines(false).ofCsvRecord(encoded).stream().findFirst().orElseThrow();
        assertThat(parsed.getFields()).isEqualTo(fields);
    }
}
