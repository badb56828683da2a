package io.chorus.chat.stomp;

/**
 * A refused STOMP frame, delivered on {@code /user/queue/errors} to the session that sent it.
 * {@code code} is the same stable code REST puts in its problem details.
 */
public record StompError(String code, int status, String detail, String destination, String clientMessageId) {
}
