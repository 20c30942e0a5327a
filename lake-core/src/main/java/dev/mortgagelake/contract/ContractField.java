package dev.mortgagelake.contract;

import java.util.Objects;
import java.util.Optional;

/**
 * A top-level field of a dataset contract, with what the contract says about it beyond its Avro type.
 *
 * @param name          the column name in the dataset's files
 * @param position      its 0-based position in the files' schema
 * @param doc           its meaning (the Avro {@code doc}, required on every contract field)
 * @param source        the CSV column it is read from (Silver contracts; {@code "source"} attribute)
 * @param referenceData the reference data its values must be in ({@code "reference_data"} attribute):
 *                      the object key, in the Silver bucket, of the allow-list the values are checked against
 */
public record ContractField(String name, int position, String doc, Optional<SourceColumn> source,
                            Optional<String> referenceData) {

    public ContractField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(referenceData, "referenceData");
    }
}
