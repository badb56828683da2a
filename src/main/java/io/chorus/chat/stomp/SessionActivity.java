package io.chorus.chat.stomp;

import io.chorus.chat.ChatEvents;
import io.chorus.identity.CurrentUser;
import io.chorus.platform.EdgeEvents;
import java.security.Principal;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Tells other modules (the audit trail) when an authenticated STOMP session opens and closes,
 * and from where. Spring's session events arrive outside any transaction, so they go out
 * through {@link EdgeEvents}.
 */
@Component
class SessionActivity implements HandshakeInterceptor {

    private static final String REMOTE_ADDRESS = "chorus.remoteAddress";

    private final EdgeEvents events;
    private final Clock clock;

    SessionActivity(EdgeEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (request.getRemoteAddress() != null) {
            attributes.put(REMOTE_ADDRESS, request.getRemoteAddress().getAddress().getHostAddress());
        }
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception failure) {
    }

    @EventListener
    void on(SessionConnectedEvent connected) {
        CurrentUser user = userOf(connected.getUser());
        if (user == null) {
            return;
        }
        // CONNECTED answers the CONNECT frame, which carries the handshake's attributes.
        Object connect = connected.getMessage().getHeaders().get(SimpMessageHeaderAccessor.CONNECT_MESSAGE_HEADER);
        Map<String, Object> attributes = connect instanceof Message<?> frame
                ? SimpMessageHeaderAccessor.getSessionAttributes(frame.getHeaders()) : null;
        String address = attributes == null ? null : (String) attributes.get(REMOTE_ADDRESS);
        events.publish(new ChatEvents.SessionConnected(SimpMessageHeaderAccessor.getSessionId(
                connected.getMessage().getHeaders()), user.id(), address, clock.instant()));
    }

    @EventListener
    void on(SessionDisconnectEvent disconnected) {
        CurrentUser user = userOf(disconnected.getUser());
        if (user != null) {
            events.publish(new ChatEvents.SessionDisconnected(disconnected.getSessionId(), user.id(), clock.instant()));
        }
    }

    /** A SUBSCRIBE or SEND refused before any handler ran (a destination the user may not use). */
    void denied(StompHeaderAccessor frame, String code) {
        CurrentUser user = userOf(frame.getUser());
        if (user != null) {
            events.publish(new ChatEvents.StompFrameDenied(frame.getSessionId(), user.id(),
                    String.valueOf(frame.getCommand()), frame.getDestination(), code, clock.instant()));
        }
    }

    private static CurrentUser userOf(Principal principal) {
        try {
            return principal == null ? null : CurrentUser.of(principal);
        } catch (IllegalStateException notOurs) {
            return null;
        }
    }
}
