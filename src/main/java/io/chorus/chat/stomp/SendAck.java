package io.chorus.chat.stomp;

import java.time.Instant;
import java.util.UUID;

/**
 * Sent on {@code /user/queue/acks} to the sending session once the message is committed.
 * {@code duplicate} is true when this was a retry and the original is being confirmed.
 */
public record SendAck(String clientMessageId, UUID conversationId, long messageId, long seq, Instant sentAt,
        boolean duplicate) {
}
