package io.chorus.audit.web;

import io.chorus.audit.AuditProblems;
import io.chorus.platform.ChorusProblem;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The formats exports come in. */
enum ExportFormat {
    CSV("text/csv;charset=UTF-8", "csv"), JSONL("application/jsonl;charset=UTF-8", "jsonl");

    private final String contentType;
    private final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    static ExportFormat of(String format) {
        for (ExportFormat candidate : values()) {
            if (candidate.extension.equalsIgnoreCase(format)) {
                return candidate;
            }
        }
        throw ChorusProblem.badRequest(AuditProblems.UNSUPPORTED_EXPORT_FORMAT,
                "format must be csv or jsonl.");
    }

    String extension() {
        return extension;
    }

    void prepare(HttpServletResponse response, String name) {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(contentType);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "."
                + extension + "\"");
    }
}
