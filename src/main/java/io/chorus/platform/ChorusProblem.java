package io.chorus.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refusal the caller can act on. It leaves REST as an RFC 9457 problem and STOMP as an
 * error event, both carrying the same stable {@code code}.
 */
public class ChorusProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final List<FieldError> errors;
    private Long retryAfterSeconds;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public ChorusProblem(HttpStatus status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    public ChorusProblem(HttpStatus status, String code, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    /** One invalid part of a request: where it is ({@code items[2].amount}) and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    /** A 400 that lists every invalid field, so a client can mark all of them at once. */
    public static ChorusProblem invalidFields(String code, String detail, List<FieldError> errors) {
        return new ChorusProblem(HttpStatus.BAD_REQUEST, code, detail, errors);
    }

    public static ChorusProblem badRequest(String code, String detail) {
        return new ChorusProblem(HttpStatus.BAD_REQUEST, code, detail);
    }

    public static ChorusProblem forbidden(String code, String detail) {
        return new ChorusProblem(HttpStatus.FORBIDDEN, code, detail);
    }

    public static ChorusProblem notFound(String code, String detail) {
        return new ChorusProblem(HttpStatus.NOT_FOUND, code, detail);
    }

    public static ChorusProblem conflict(String code, String detail) {
        return new ChorusProblem(HttpStatus.CONFLICT, code, detail);
    }

    public static ChorusProblem unprocessable(String code, String detail) {
        return new ChorusProblem(HttpStatus.UNPROCESSABLE_CONTENT, code, detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** A 429: the caller may try again after {@code seconds} (sent as {@code Retry-After}). */
    public static ChorusProblem tooManyRequests(String detail, long seconds) {
        ChorusProblem problem = new ChorusProblem(HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED, detail);
        problem.retryAfterSeconds = Math.max(1, seconds);
        return problem;
    }

    /** Seconds after which a refused request may be tried again, when the refusal says so. */
    public java.util.Optional<Long> retryAfterSeconds() {
        return java.util.Optional.ofNullable(retryAfterSeconds);
    }

    /**
     * Adds an RFC 9457 extension member to the problem ({@code "limit": "token"} on a 429 of the
     * integration rate limits); the contract's {@code Problem} schema must name it.
     */
    public ChorusProblem with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    /** Extension members beside the standard ones and {@code code}, in the order they were added. */
    public Map<String, Object> extensions() {
        return java.util.Collections.unmodifiableMap(extensions);
    }

    /** The invalid fields, when the refusal is about several of them; otherwise empty. */
    public List<FieldError> errors() {
        return errors;
    }
}
