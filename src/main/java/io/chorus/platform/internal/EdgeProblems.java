package io.chorus.platform.internal;

import io.chorus.platform.ProblemCodes;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem documents for refusals made before Spring MVC runs (the servlet container, filters,
 * the security firewall, error dispatches), shaped like the ones {@link ProblemDetailsAdvice}
 * writes. The detail is always ours: what the caller sent is never echoed.
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

    static String json(int status, String code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        HttpStatus known = HttpStatus.resolve(status);
        problem.put("type", "about:blank");
        problem.put("title", known == null ? "Error" : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("code", code);
        return JsonMapper.shared().writeValueAsString(problem);
    }

    static void write(HttpServletResponse response, int status, String code, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(status, code, detail));
    }
}
