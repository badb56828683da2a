package io.chorus.platform;

/** Codes of refusals that no single module owns; modules keep their own codes beside their API. */
public final class ProblemCodes {

    public static final String VALIDATION_FAILED = "VALIDATION_FAILED";
    public static final String MALFORMED_REQUEST = "MALFORMED_REQUEST";
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    /** A valid token of a deactivated account; also the code that closes its live sessions. */
    public static final String ACCOUNT_DEACTIVATED = "ACCOUNT_DEACTIVATED";
    /** The token a live STOMP session was opened or refreshed with has expired; the session ends. */
    public static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
    public static final String FORBIDDEN = "FORBIDDEN";
    public static final String NOT_FOUND = "NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    public static final String RATE_LIMITED = "RATE_LIMITED";
    /** 503: past capacity, the request was refused unprocessed; send it again after Retry-After. */
    public static final String OVERLOADED = "OVERLOADED";
    /** STOMP: the user has as many open sessions as allowed; the CONNECT is refused. */
    public static final String TOO_MANY_SESSIONS = "TOO_MANY_SESSIONS";
    /** 503: Chorus cannot reach its identity provider to verify the token; retry later, the token may be fine. */
    public static final String IDENTITY_PROVIDER_UNAVAILABLE = "IDENTITY_PROVIDER_UNAVAILABLE";
    /** 503: Chorus cannot reach its database; nothing was done, retry later (see {@link DatabaseUnavailable}). */
    public static final String DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";
    public static final String FRAME_TOO_LARGE = "FRAME_TOO_LARGE";
    /** 409: the Idempotency-Key was used for a different request (another body, method or address). */
    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
    /**
     * 409: a request with the same Idempotency-Key and body is still running and did not finish
     * within the wait; send it again after Retry-After to get its result.
     */
    public static final String IDEMPOTENCY_KEY_IN_PROGRESS = "IDEMPOTENCY_KEY_IN_PROGRESS";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private ProblemCodes() {
    }
}
