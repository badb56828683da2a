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
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Tracks who is online: a user is while any of their STOMP sessions (any device) is connected.
 * Going online or offline is pushed to the people they share a direct chat with; anyone else
 * asks {@link io.chorus.chat.Presence}.
 *
 * <p>Several nodes: each knows its own sessions at once, and the others' from Spring's user
 * registry, which every node broadcasts through the broker ({@code registry-broadcast-interval}).
 * A user is online while any node has a session of theirs; a node announces "online" or "offline"
 * only when no other node is known to hold one, so a second device on another node does not flap
 * the user's presence. The others' view is at most one broadcast old.
 */
@Component
public class OnlineSessions {

    private final Map<UUID, Set<String>> sessions = new ConcurrentHashMap<>();
    private final MemberStore members;
    private final ApplicationEventPublisher events;
    private final SimpUserRegistry cluster;

    OnlineSessions(MemberStore members, ApplicationEventPublisher events, SimpUserRegistry cluster) {
        this.members = members;
        this.events = events;
        this.cluster = cluster;
    }

    public Map<UUID, Boolean> online(Collection<UserId> users) {
        return users.stream().map(UserId::value).distinct()
                .collect(Collectors.toMap(user -> user, user -> sessions.containsKey(user) || elsewhere(user, null)));
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
        if (cameOnline[0] && !elsewhere(user, session)) {
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
        if (wentOffline[0] && !elsewhere(user, event.getSessionId())) {
            events.publishEvent(LiveDelivery.outsideConversations(members.directPeers(user),
                    new LiveEvent.PresenceChanged(user, false)));
        }
    }

    /**
     * Whether another node is known to hold a session of the user, not counting {@code session}
     * (this node's own, just opened or closed). Always false with one node.
     */
    private boolean elsewhere(UUID user, String session) {
        SimpUser known = cluster.getUser(user.toString());
        if (known == null) {
            return false;
        }
        Set<String> here = sessions.getOrDefault(user, Set.of());
        return known.getSessions().stream().map(SimpSession::getId)
                .anyMatch(id -> !id.equals(session) && !here.contains(id));
    }

    private static UUID userOf(Principal principal) {
        return principal == null ? null : UUID.fromString(principal.getName());
    }
}
