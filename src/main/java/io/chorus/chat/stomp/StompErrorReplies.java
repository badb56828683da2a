package io.chorus.chat.stomp;

import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;

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
}
