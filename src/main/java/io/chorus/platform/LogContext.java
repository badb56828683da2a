package io.chorus.platform;

/**
 * The keys Chorus puts in the logging context (SLF4J's MDC), so that every line written while a
 * request or a STOMP frame is handled says whose it was. Structured (JSON) logs carry them as
 * fields of their own. Message text and tokens never go there.
 */
public final class LogContext {

    /** The request's {@code X-Request-Id}, taken from the caller or made up, and echoed in the response. */
    public static final String REQUEST_ID = "requestId";

    /** The authenticated caller's user id, once known. */
    public static final String USER_ID = "userId";

    /** The STOMP session whose frame is being handled. */
    public static final String SESSION_ID = "sessionId";

    private LogContext() {
    }
}
