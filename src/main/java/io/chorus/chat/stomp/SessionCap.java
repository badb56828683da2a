package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
import io.chorus.identity.UserId;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Bounds the open STOMP sessions of one user ({@code max-sessions-per-user}): every session has
 * its own subscriptions and answers, so unbounded sessions were unbounded memory and fan-out for
 * one account. The CONNECT that would go past the cap is refused with TOO_MANY_SESSIONS; the
 * open sessions are left alone. Counted on this node, as the sessions live here.
 */
@Component
class SessionCap {

    private final int maxSessionsPerUser;
    private final Map<UserId, Set<String>> sessionsByUser = new ConcurrentHashMap<>();
    private final Map<String, UserId> users = new ConcurrentHashMap<>();

    SessionCap(ChatProperties properties) {
        this.maxSessionsPerUser = properties.stomp().maxSessionsPerUser();
    }

    /**
     * Counts a connecting session, unless the user is at the cap.
     *
     * @throws TooManySessions if the user already has {@code max-sessions-per-user} open sessions
     */
    void open(UserId user, String sessionId) {
        // compute() runs atomically per user: two CONNECTs at once cannot both take the last place.
        sessionsByUser.compute(user, (owner, open) -> {
            Set<String> sessions = open == null ? ConcurrentHashMap.newKeySet() : open;
            if (sessions.size() >= maxSessionsPerUser && !sessions.contains(sessionId)) {
                throw new TooManySessions(maxSessionsPerUser);
            }
            sessions.add(sessionId);
            return sessions;
        });
        users.put(sessionId, user);
    }

    /** Every session ends this way, whether the client left, was refused or was cut off. */
    @EventListener
    void on(SessionDisconnectEvent disconnected) {
        UserId user = users.remove(disconnected.getSessionId());
        if (user != null) {
            sessionsByUser.computeIfPresent(user, (owner, sessions) -> {
                sessions.remove(disconnected.getSessionId());
                return sessions.isEmpty() ? null : sessions;
            });
        }
    }

    /**
     * The user's sessions open on this node, as they are: read-only, and safe to iterate while
     * sessions come and go. Fan-out asks this for every recipient of every event, so no copy.
     */
    Set<String> sessionsOf(UserId user) {
        Set<String> open = sessionsByUser.get(user);
        return open == null ? Set.of() : Collections.unmodifiableSet(open);
    }

    /** Every session open on this node (a copy). */
    Set<String> sessions() {
        return Set.copyOf(users.keySet());
    }

    /** Answered by {@link StompErrorFrames} with an ERROR frame TOO_MANY_SESSIONS. */
    static final class TooManySessions extends RuntimeException {

        TooManySessions(int max) {
            super("At most " + max + " sessions per user are open at once.", null, false, false);
        }
    }
}
