package dev.mortgagelake.validation.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where each contract column sits in a file's header, and how the header deviates from the contract.
 * Header names are matched exactly (case and whitespace included), like values: a header that only
 * differs by case or surrounding spaces is reported as missing, with the near match named in
 * {@link #describeProblem()}.
 *
 * @param header            the header as read
 * @param positions         for each column of {@link ContractV1#VALUE_COLUMNS} (required, then optional): its
 *                          index in the header, or -1
 * @param unknownColumns    header names the contract does not know (drift), distinct, in header order
 * @param missingColumns    required contract columns absent from the header, in contract order (an absent
 *                          optional column is not missing: its values are {@code null})
 * @param duplicatedColumns column names (contract or not) that appear more than once (ambiguous)
 */
public record HeaderMapping(List<String> header, int[] positions, List<String> unknownColumns,
                            List<String> missingColumns, List<String> duplicatedColumns) {

    public HeaderMapping {
        header = List.copyOf(header);
        positions = positions.clone();
        unknownColumns = List.copyOf(unknownColumns);
        missingColumns = List.copyOf(missingColumns);
        duplicatedColumns = List.copyOf(duplicatedColumns);
    }

    /** Maps {@code header} onto {@link ContractV1#VALUE_COLUMNS}. */
    public static HeaderMapping resolve(List<String> header) {
        List<String> columns = ContractV1.VALUE_COLUMNS;
        int[] positions = new int[columns.size()];
        Arrays.fill(positions, -1);
        Set<String> unknown = new LinkedHashSet<>();
        Set<String> duplicated = new LinkedHashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            int column = columns.indexOf(name);
            if (column < 0) {
                if (!unknown.add(name)) {
                    duplicated.add(name);
                }
            } else if (positions[column] >= 0) {
                duplicated.add(name);
            } else {
                positions[column] = i;
            }
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < ContractV1.COLUMNS.size(); c++) {
            if (positions[c] < 0) {
                missing.add(columns.get(c));
            }
        }
        return new HeaderMapping(header, positions, new ArrayList<>(unknown), missing, new ArrayList<>(duplicated));
    }

    /** Whether the header carries the optional column {@code TransactionType}. */
    public boolean hasTransactionType() {
        return positions[ContractV1.IDX_TRANSACTION_TYPE] >= 0;
    }

    @Override
    public int[] positions() {
        return positions.clone();
    }

    /** A readable account of why the header is not usable; empty when it is. */
    public String describeProblem() {
        List<String> parts = new ArrayList<>();
        if (!missingColumns.isEmpty()) {
            StringBuilder text = new StringBuilder("missing required column(s) " + missingColumns);
            for (String missing : missingColumns) {
                for (String found : unknownColumns) {
                    if (found.strip().toLowerCase(Locale.ROOT).equals(missing.toLowerCase(Locale.ROOT))) {
                        text.append("; '").append(found).append("' would match '").append(missing)
                                .append("' but header names are matched exactly");
                    }
                }
            }
            parts.add(text.toString());
        }
        if (!duplicatedColumns.isEmpty()) {
            parts.add("column(s) appear more than once " + duplicatedColumns);
        }
        if (parts.isEmpty()) {
            return "";
        }
        return String.join("; ", parts) + " (header: " + header + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HeaderMapping that && header.equals(that.header) && Arrays.equals(positions, that.positions)
                && unknownColumns.equals(that.unknownColumns) && missingColumns.equals(that.missingColumns)
                && duplicatedColumns.equals(that.duplicatedColumns);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(positions);
    }

    @Override
    public String toString() {
        return "HeaderMapping[header=" + header + ", positions=" + Arrays.toString(positions) + ", unknown=" + unknownColumns
                + ", missing=" + missingColumns + ", duplicated=" + duplicatedColumns + "]";
    }
}
