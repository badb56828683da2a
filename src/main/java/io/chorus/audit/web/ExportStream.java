package io.chorus.audit.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * One streamed export, written item by item as the database cursor yields them: CSV (the
 * header row, then a row per item) or JSON lines (one object per line). Both audit exports use it.
 */
final class ExportStream<T> implements Consumer<T> {

    private final ExportFormat format;
    private final Writer out;
    private final CsvRows csv;
    private final Function<T, List<String>> columns;
    private final Function<T, ?> line;
    private final JsonMapper json;

    private ExportStream(ExportFormat format, Writer out, Function<T, List<String>> columns, Function<T, ?> line,
            JsonMapper json) {
        this.format = format;
        this.out = out;
        this.csv = new CsvRows(out);
        this.columns = columns;
        this.line = line;
        this.json = json;
    }

    /** Sets the response's headers and, for CSV, writes the header row. */
    static <T> ExportStream<T> open(HttpServletResponse response, ExportFormat format, String name,
            List<String> header, Function<T, List<String>> columns, Function<T, ?> line, JsonMapper json)
            throws IOException {
        format.prepare(response, name);
        ExportStream<T> stream = new ExportStream<>(format,
                new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), columns, line, json);
        if (format == ExportFormat.CSV) {
            stream.csv.row(header);
        }
        return stream;
    }

    @Override
    public void accept(T item) {
        try {
            if (format == ExportFormat.CSV) {
                csv.row(columns.apply(item));
            } else {
                out.write(json.writeValueAsString(line.apply(item)));
                out.write('\n');
            }
        } catch (IOException clientGone) {
            throw new UncheckedIOException(clientGone);
        }
    }

    void finish() throws IOException {
        out.flush();
    }
}
