package io.chorus.audit.web;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * RFC 4180 rows: a field with a comma, quote or line break is quoted, quotes doubled; null is empty.
 * A field that starts with {@code = + - @}, a tab or a carriage return gets a leading single quote
 * first (OWASP's advice against CSV injection): a spreadsheet opening the export would otherwise
 * run a message text or a name such as {@code =HYPERLINK(…)} as a formula. Only CSV does this; JSON
 * lines keep every value exactly.
 */
final class CsvRows {

    private final Writer out;

    CsvRows(Writer out) {
        this.out = out;
    }

    void row(List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String field = fields.get(i);
            if (field == null) {
                continue;
            }
            if (startsAFormula(field)) {
                field = "'" + field;
            }
            if (field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                    || field.indexOf('\r') >= 0) {
                out.write('"');
                out.write(field.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(field);
            }
        }
        out.write("\r\n");
    }

    private static boolean startsAFormula(String field) {
        if (field.isEmpty()) {
            return false;
        }
        return switch (field.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> true;
            default -> false;
        };
    }
}
