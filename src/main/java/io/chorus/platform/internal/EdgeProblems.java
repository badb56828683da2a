package io.chorus.platform.internal;

import io.chorus.platform.ProblemCodes;
import io.chorus.platform.ProblemDocument;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;

/**
 * Problem documents ({@link ProblemDocument}) for refusals made before Spring MVC runs (the
 * servlet container, filters, the security firewall, error dispatches): which code and detail
 * a bare status stands for, and writing one to a servlet response.
 */
final class EdgeProblems {

    private EdgeProblems() {
    }

    /** The stable code a bare status stands for when nothing more specific is known. */
    static String codeFor(int status) {
        return switch (status) {
            case 401 -> ProblemCodes.UNAUTHENTICATED;
            case 403 -> ProblemCodes.FORBIDDEN;
            case 404 -> ProblemCodes.NOT_FOUND;
            case 405 -> ProblemCodes.METHOD_NOT_ALLOWED;
            case 415 -> ProblemCodes.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemCodes.RATE_LIMITED;
            default -> status >= 400 && status < 500 ? ProblemCodes.MALFORMED_REQUEST : ProblemCodes.INTERNAL_ERROR;
        };
    }

    static String detailFor(int status) {
        return switch (status) {
            case 401 -> "A valid bearer token is required.";
            case 403 -> "You may not do this.";
            case 404 -> "There is nothing at this address.";
            case 405 -> "This address does not support that method.";
            case 431 -> "The request headers are too large.";
            default -> status >= 400 && status < 500 ? "The request is malformed."
                    : "Something went wrong on our side; nothing you sent was the cause.";
        };
    }

    static void write(HttpServletResponse response, int status, String code, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(ProblemDocument.json(status, code, detail));
    }
}
