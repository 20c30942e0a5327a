package dev.mortgagelake.validation.quarantine;

import java.util.List;

/**
 * The {@code raw_record} encoding: the fields of one record as a single RFC 4180 CSV record
 * (comma-separated, no line terminator). A field is quoted when it contains a comma, a double quote,
 * CR or LF, or is the only field and empty (so that an empty record stays distinguishable); quotes
 * inside are doubled. Parsing the result with any RFC 4180 reader gives the original fields back.
 */
public final class RawRecords {

    private RawRecords() {
    }

    public static String encode(List<String> fields) {
        StringBuilder out = new StringBuilder(64);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String field = fields.get(i);
            if (needsQuotes(field) || (fields.size() == 1 && field.isEmpty())) {
                out.append('"');
                for (int c = 0; c < field.length(); c++) {
                    char ch = field.charAt(c);
                    if (ch == '"') {
                        out.append('"');
                    }
                    out.append(ch);
                }
                out.append('"');
            } else {
                out.append(field);
            }
        }
        return out.toString();
    }

    private static boolean needsQuotes(String field) {
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }
}
