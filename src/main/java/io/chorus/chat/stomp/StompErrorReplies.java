package io.chorus.chat.stomp;

import org.springframework.messaging.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The error events a session gets on {@code /user/queue/errors} (sent through {@link SessionReplies}). */
final class StompErrorReplies {

    static final String ERRORS = "/queue/errors";

    private StompErrorReplies() {
    }

    /** Lets a client match an error to the send it made, when the body was readable at all. */
    static String clientMessageIdOf(Message<?> message, JsonMapper json) {
        if (message.getPayload() instanceof byte[] body && body.length > 0) {
            try {
                JsonNode id = json.readTree(body).get("clientMessageId");
                return id != null && id.isString() ? id.asString() : null;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
        return null;
    }
}
