package dev.mortgagelake.contract;

import java.util.Objects;

/**
 * Where a Silver column comes from in the CSV input: the {@code "source"} attribute of a contract
 * field, {@code {"column": "TransactionID", "required": true}}.
 *
 * @param column   the CSV header name, matched exactly (case and whitespace included)
 * @param required whether every file must carry the column in its header; a file without a required
 *                 column is rejected ({@code MISSING_COLUMNS}), a file without an optional one is not
 */
public record SourceColumn(String column, boolean required) {

    public SourceColumn {
        Objects.requireNonNull(column, "column");
        if (column.isBlank()) {
            throw new IllegalArgumentException("A source column needs a name");
        }
    }

    @Override
    public String toString() {
        return column + (required ? " (required)" : " (optional)");
    }
}
