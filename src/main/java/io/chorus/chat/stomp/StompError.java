package io.chorus.chat.stomp;

import io.chorus.chat.internal.SendRefused;

/**
 * A refused STOMP frame, delivered on {@code /user/queue/errors} to the session that sent it.
 * {@code code} is the same stable code REST puts in its problem details; {@code retryAfterMs},
 * when present, is how long to wait before sending the same frame again (REST's Retry-After).
 */
public record StompError(String code, int status, String detail, String destination, String clientMessageId,
        Long retryAfterMs) {

    public StompError(String code, int status, String detail, String destination, String clientMessageId) {
        this(code, status, detail, destination, clientMessageId, null);
    }

    /** A send refused unprocessed (over budget, or past capacity), with its retry hint. */
    static StompError refused(SendRefused refused, String destination, String clientMessageId) {
        return new StompError(refused.code(), refused.status().value(), refused.getMessage(), destination,
                clientMessageId, refused.retryAfter().toMillis());
    }
}
