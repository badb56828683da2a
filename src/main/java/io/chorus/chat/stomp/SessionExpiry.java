package io.chorus.chat.stomp;

import io.chorus.platform.ProblemCodes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * A STOMP session lives no longer than the token it was opened, or last refreshed, with. At the
 * token's {@code exp} the session gets an ERROR frame {@code TOKEN_EXPIRED} and is closed; one
 * timer thread serves every session. A frame that arrives after {@code exp} is refused as well
 * ({@link #expired}), so a late timer never lets anything be stored on an expired token.
 */
@Component
class SessionExpiry implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SessionExpiry.class);

    static final StompError EXPIRED = new StompError(ProblemCodes.TOKEN_EXPIRED, 401,
            "The token this session was opened with has expired; send a fresh one to /app/token before it does, "
                    + "or CONNECT again.",
            null, null);

    private final StompErrorFrames errors;
    private final Clock clock;
    private final ThreadPoolTaskScheduler timer = new ThreadPoolTaskScheduler();
    private final Map<String, Deadline> deadlines = new ConcurrentHashMap<>();

    private record Deadline(Instant at, ScheduledFuture<?> closing) {
    }

    SessionExpiry(StompErrorFrames errors, Clock clock) {
        this.errors = errors;
        this.clock = clock;
        timer.setPoolSize(1);
        timer.setThreadNamePrefix("stomp-expiry-");
        timer.setDaemon(true);
        timer.setRemoveOnCancelPolicy(true);
        timer.initialize();
    }

    /**
     * The session ends at {@code at}, instead of at any earlier deadline (a refreshed token).
     *
     * @throws BadCredentialsException if {@code at} has passed already: a token the decoder's
     *         clock-skew allowance still let through opens nothing, like any other expired token
     */
    void endAt(String sessionId, Instant at) {
        if (!at.isAfter(clock.instant())) {
            throw new BadCredentialsException("The bearer token is invalid or expired.");
        }
        Deadline next = new Deadline(at, timer.schedule(() -> expire(sessionId, at), at));
        Deadline previous = deadlines.put(sessionId, next);
        if (previous != null) {
            previous.closing().cancel(false);
        }
    }

    /** Whether the session's token has expired, whether or not the timer has closed it yet. */
    boolean expired(String sessionId) {
        Deadline deadline = sessionId == null ? null : deadlines.get(sessionId);
        return deadline != null && !deadline.at().isAfter(clock.instant());
    }

    private void expire(String sessionId, Instant at) {
        Deadline current = deadlines.get(sessionId);
        // A refresh may have moved the deadline after this closing was scheduled. The deadline
        // stays until the session is gone, so frames racing the close are still refused.
        if (current != null && current.at().equals(at)) {
            errors.close(sessionId, EXPIRED);
            log.debug("Closed STOMP session {}: its token expired at {}", sessionId, at);
        }
    }

    @EventListener
    void forget(SessionDisconnectEvent disconnected) {
        Deadline deadline = deadlines.remove(disconnected.getSessionId());
        if (deadline != null) {
            deadline.closing().cancel(false);
        }
    }

    @Override
    public void destroy() {
        timer.shutdown();
    }
}
