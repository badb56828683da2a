package io.chorus.chat.stomp;

import io.chorus.chat.internal.SendAdmission;
import io.chorus.chat.internal.SendRefused;
import io.chorus.identity.CurrentUser;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Charges every SEND frame to its user's send budget ({@link SendAdmission#charge}), which all
 * of the user's sessions and their REST sends share. A frame over the budget is not processed,
 * and the session is told so on its error queue with code {@code RATE_LIMITED}, the frame's
 * {@code clientMessageId} and {@code retryAfterMs}, so the client knows which send to repeat and
 * when: refused, never silently dropped.
 */
@Component
class SendRateLimit implements ChannelInterceptor {

    private final SendAdmission admission;
    private final SessionReplies replies;
    private final JsonMapper json;

    SendRateLimit(SendAdmission admission, SessionReplies replies, JsonMapper json) {
        this.admission = admission;
        this.replies = replies;
        this.json = json;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(message);
        if (accessor.getMessageType() != SimpMessageType.MESSAGE || accessor.getSessionId() == null
                || accessor.getUser() == null) {
            return message; // a SEND before CONNECT: Spring Security refuses it
        }
        try {
            admission.charge(CurrentUser.of(accessor.getUser()).id());
            return message;
        } catch (SendRefused refused) {
            replies.send(accessor.getSessionId(), StompErrorReplies.ERRORS, StompError.refused(refused,
                    accessor.getDestination(), StompErrorReplies.clientMessageIdOf(message, json)));
            return null;
        }
    }
}
