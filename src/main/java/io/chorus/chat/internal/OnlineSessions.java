package io.chorus.chat.internal;

import io.chorus.chat.LiveDelivery;
import io.chorus.chat.LiveEvent;
import io.chorus.identity.UserId;
import java.security.Principal;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Tracks who is online: a user is while any of their STOMP sessions (any device, any node) is
 * connected. Going online or offline is pushed to the people they share a direct chat with;
 * anyone else asks {@link io.chorus.chat.Presence}.
 *
 * <p>Several nodes: each knows its own sessions, and hears from the others (through the STOMP
 * edge's node bus) when one of their users comes or goes ({@link LocalTransition}), plus each
 * node's whole roster every few seconds, which also makes a node that died without a word be
 * forgotten. "Online" and "offline" are announced by the node where the change happens, and only
 * when no other node holds the user. Should two nodes' changes cross (a phone connects to one
 * while a laptop leaves the other), the node still holding the user announces "online" again on
 * hearing of the other's "offline", so what peers see ends right.
 */
@Component
public class OnlineSessions {

    private static final Logger log = LoggerFactory.getLogger(OnlineSessions.class);

    private final Map<UUID, Set<String>> sessions = new ConcurrentHashMap<>();
    /** Users with sessions on other nodes, by node; empty with one node. */
    private final Map<String, Roster> nodes = new ConcurrentHashMap<>();
    private final MemberStore members;
    private final ApplicationEventPublisher events;

    OnlineSessions(MemberStore members, ApplicationEventPublisher events) {
        this.members = members;
        this.events = events;
    }

    /** A user's first session opened, or last session closed, on this node. */
    public record LocalTransition(UUID user, boolean online) {
    }

    private record Roster(Set<UUID> users, Instant heardAt) {
    }

    public Map<UUID, Boolean> online(Collection<UserId> users) {
        return users.stream().map(UserId::value).distinct()
                .collect(Collectors.toMap(user -> user, user -> sessions.containsKey(user) || elsewhere(user)));
    }

    /** The users with a session on this node (a copy), for the roster other nodes are sent. */
    public Set<UUID> localUsers() {
        return Set.copyOf(sessions.keySet());
    }

    /** Another node's whole roster: it replaces what was known of that node. */
    public void rosterOf(String node, Set<UUID> users, Instant heardAt) {
        Set<UUID> known = ConcurrentHashMap.newKeySet();
        known.addAll(users);
        nodes.put(node, new Roster(known, heardAt));
    }

    /** Another node's user came or went there. */
    public void transitionOn(String node, UUID user, boolean online, Instant heardAt) {
        Roster roster = nodes.computeIfAbsent(node, any -> new Roster(ConcurrentHashMap.newKeySet(), heardAt));
        if (online) {
            roster.users().add(user);
            return;
        }
        roster.users().remove(user);
        if (sessions.containsKey(user)) {
            // Crossed changes: the other node announced "offline" while this one holds the user.
            announce(user, true);
        }
    }

    /**
     * Forgets nodes not heard from since {@code before}: they stopped or died without a word.
     * Returns their users who are on no node now: they went offline with them.
     */
    public Set<UUID> forgetNodesSilentSince(Instant before) {
        Set<UUID> orphaned = new HashSet<>();
        nodes.values().removeIf(roster -> {
            boolean silent = roster.heardAt().isBefore(before);
            if (silent) {
                orphaned.addAll(roster.users());
            }
            return silent;
        });
        orphaned.removeIf(user -> sessions.containsKey(user) || elsewhere(user));
        return orphaned;
    }

    /** Tells the peers of users who left with a node that died (one node does, for all). */
    public void announceOffline(Set<UUID> users) {
        users.forEach(user -> announce(user, false));
    }

    /** The other nodes heard from (their ids). */
    public Set<String> otherNodes() {
        return Set.copyOf(nodes.keySet());
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
            transition(user, true);
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
            transition(user, false);
        }
    }

    /**
     * Tells the other nodes and the user's peers. It needs the database (the peers) and, with
     * several nodes, the broker; while either is away it is given up with one line, never thrown
     * into the session event: the listeners after this one (the session cap, the audit, expiry)
     * must still hear of every session that ends. Rosters and the next change heal presence.
     */
    private void transition(UUID user, boolean online) {
        try {
            events.publishEvent(new LocalTransition(user, online));
            if (!elsewhere(user)) {
                announce(user, online);
            }
        } catch (RuntimeException unavailable) {
            log.warn("Presence of user {} ({}) not announced: {}", user, online ? "online" : "offline",
                    unavailable.toString());
        }
    }

    private void announce(UUID user, boolean online) {
        events.publishEvent(LiveDelivery.outsideConversations(members.directPeers(user),
                new LiveEvent.PresenceChanged(user, online)));
    }

    private boolean elsewhere(UUID user) {
        for (Roster roster : nodes.values()) {
            if (roster.users().contains(user)) {
                return true;
            }
        }
        return false;
    }

    private static UUID userOf(Principal principal) {
        return principal == null ? null : UUID.fromString(principal.getName());
    }
}
