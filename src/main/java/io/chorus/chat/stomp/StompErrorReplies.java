package io.chorus.chat.stomp;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sends an error event to one session of a user, not to all of their devices. */
final class StompErrorReplies {

    static final String ERRORS = "/queue/errors";

    private StompErrorReplies() {
    }

    static void toSession(SimpMessagingTemplate template, String user, String sessionId, StompError error) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setSessionId(sessionId);
        headers.setLeaveMutable(true);
        template.convertAndSendToUser(user, ERRORS, error, headers.getMessageHeaders());
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
