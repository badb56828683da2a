package io.chorus.platform;

import org.springframework.http.HttpStatus;

/**
 * A refusal the caller can act on. It leaves REST as an RFC 9457 problem and STOMP as an
 * error event, both carrying the same stable {@code code}.
 */
public class ChorusProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ChorusProblem(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
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
}
