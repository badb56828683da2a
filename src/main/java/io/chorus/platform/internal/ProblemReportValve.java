package io.chorus.platform.internal;

import io.chorus.platform.ProblemDocument;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report for what it refuses before the application sees the request (a
 * {@code %00} or {@code %2F} in the path, oversized headers): a problem document instead of
 * Tomcat's HTML page, which also named the server.
 */
final class ProblemReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable failure) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemDocument.json(status, EdgeProblems.codeFor(status), EdgeProblems.detailFor(status)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException unwritable) {
            // The client is gone or the response was already committed: nothing left to tell it.
        }
    }
}
