package io.chorus.chat.internal;

import io.chorus.chat.LiveDelivery;
import io.chorus.chat.LiveEvent;
import io.chorus.identity.UserId;
import java.security.Principal;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Tracks who is online: a user is while any of their STOMP sessions (any device) is connected.
 * Going online or offline is pushed to the people they share a direct chat with; anyone else
 * asks {@link io.chorus.chat.Presence}. This node's view only: with a broker relay and several
 * nodes, Spring's user registry broadcast provides the cluster-wide one.
 */
@Component
public class OnlineSessions {

    private final Map<UUID, Set<String>> sessions = new ConcurrentHashMap<>();
    private final MemberStore members;
    private final ApplicationEventPublisher events;

    OnlineSessions(MemberStore members, ApplicationEventPublisher events) {
        this.members = members;
        this.events = events;
    }

    public Map<UUID, Boolean> online(Collection<UserId> users) {
        return users.stream().map(UserId::value).distinct()
                .collect(Collectors.toMap(user -> user, sessions::containsKey));
    }

    @EventListener
    void connected(SessionConnectedEvent event) {
        UUID user = userOf(event.getUser());
        String session = (String) event.getMessage().getHeaders().get("simpSessionId");
        if (user == null || session == null) {
            return;
        }
        boolean[] cameOnline = {false};
        sessions.compute(user, (id, open) -> {
            Set<String> now = open == null ? ConcurrentHashMap.newKeySet() : open;
            cameOnline[0] = now.isEmpty();
            now.add(session);
            return now;
        });
        if (cameOnline[0]) {
            events.publishEvent(LiveDelivery.outsideConversations(members.directPeers(user),
                    new LiveEvent.PresenceChanged(user, true)));
        }
    }

    @EventListener
    void disconnected(SessionDisconnectEvent event) {
        UUID user = userOf(event.getUser());
        if (user == null) {
            return;
        }
        boolean[] wentOffline = {false};
        sessions.computeIfPresent(user, (id, open) -> {
            open.remove(event.getSessionId());
            wentOffline[0] = open.isEmpty();
            return open.isEmpty() ? null : open;
        });
        if (wentOffline[0]) {
            events.publishEvent(LiveDelivery.outsideConversations(members.directPeers(user),
                    new LiveEvent.PresenceChanged(user, false)));
        }
    }

    private static UUID userOf(Principal principal) {
        return principal == null ? null : UUID.fromString(principal.getName());
    }
}
