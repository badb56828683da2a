package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
import io.chorus.platform.ProblemCodes;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounds how fast one session may SEND (token bucket per session). A frame over the limit is
 * not processed, and the session is told so on its error queue with code {@code RATE_LIMITED}
 * and the frame's {@code clientMessageId}, so the client knows which send to repeat: refused,
 * never silently dropped.
 */
@Component
class SendRateLimit implements ChannelInterceptor {

    private final ChatProperties properties;
    private final SessionReplies replies;
    private final JsonMapper json;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    SendRateLimit(ChatProperties properties, SessionReplies replies, JsonMapper json) {
        this.properties = properties;
        this.replies = replies;
        this.json = json;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(message);
        if (accessor.getMessageType() != SimpMessageType.MESSAGE || accessor.getSessionId() == null) {
            return message;
        }
        Bucket bucket = buckets.computeIfAbsent(accessor.getSessionId(), session -> newBucket());
        if (bucket.tryConsume(1)) {
            return message;
        }
        if (accessor.getUser() != null) {
            replies.send(accessor.getSessionId(), StompErrorReplies.ERRORS,
                    new StompError(ProblemCodes.RATE_LIMITED, 429,
                            "Too many messages; slow down and send this again.", accessor.getDestination(),
                            StompErrorReplies.clientMessageIdOf(message, json)));
        }
        return null;
    }

    private Bucket newBucket() {
        var stomp = properties.stomp();
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(stomp.sendBurst())
                        .refillGreedy(stomp.sendsPerSecond(), Duration.ofSeconds(1)).build())
                .build();
    }

    @EventListener
    void forget(SessionDisconnectEvent disconnected) {
        buckets.remove(disconnected.getSessionId());
    }
}
