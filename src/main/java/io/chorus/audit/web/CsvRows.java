package io.chorus.audit.web;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** RFC 4180 rows: a field with a comma, quote or line break is quoted, quotes doubled; null is empty. */
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
}
