package io.chorus.chat.stomp;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers (acknowledgements, error events) to the one session that sent a frame, and to no
 * other. Spring's {@code @SendToUser(broadcast = false)} names the user and the session; once the
 * sending session has closed, Spring resolves that to all the user's other sessions, so another
 * device would get an ack for a message it never sent (and, as one message cannot go to several
 * sessions in publish order, Spring logs an ERROR for each). A user destination named by the
 * session id itself reaches that session or nobody: a client that closed before its answer left
 * catches up by seq, or sends again and gets a duplicate ack.
 */
@Component
class SessionReplies {

    private final ObjectProvider<SimpMessagingTemplate> template;

    // A provider: the channel interceptors that answer (the rate limit) are built before the template.
    SessionReplies(ObjectProvider<SimpMessagingTemplate> template) {
        this.template = template;
    }

    void send(String sessionId, String destination, Object payload) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setSessionId(sessionId);
        headers.setLeaveMutable(true);
        template.getObject().convertAndSendToUser(sessionId, destination, payload, headers.getMessageHeaders());
    }
}
