package io.chorus.chat.stomp;

import io.chorus.platform.ProblemCodes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 * timer thread serves every session, and it keeps Chorus' {@link Clock}. A frame that arrives
 * after {@code exp} is refused as well ({@link #expired}), so a late timer never lets anything be
 * stored on an expired token.
 *
 * <p>The deadline frames are judged by lives with the session itself (its attributes), not in
 * the timer's bookkeeping: a client's last frames may still wait to be handled after its
 * disconnect has cleared that bookkeeping, and they are judged by their token like any other.
 *
 * <p>A timer is created by CONNECT only and removed when the session disconnects or its
 * deadline fires, whichever comes first. A refresh only moves an existing deadline: it runs on
 * another thread than the disconnect and may come after it, and must not bring back a deadline
 * for a session that is gone. Should a CONNECT ever lose such a race, its deadline still goes
 * when it fires: no deadline outlives its token.
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

    /** The session attribute holding the session's current deadline. */
    private static final String DEADLINE = SessionExpiry.class.getName() + ".deadline";

    private record Deadline(Instant at, ScheduledFuture<?> closing) {
    }

    SessionExpiry(StompErrorFrames errors, Clock clock) {
        this.errors = errors;
        this.clock = clock;
        timer.setPoolSize(1);
        timer.setThreadNamePrefix("stomp-expiry-");
        timer.setDaemon(true);
        timer.setRemoveOnCancelPolicy(true);
        // Deadlines are instants of Chorus' clock, so the timer waits by that clock too.
        timer.setClock(clock);
        timer.initialize();
    }

    /**
     * A session has connected with a token that expires at {@code at}.
     *
     * @throws BadCredentialsException if {@code at} has passed already: a token the decoder's
     *         clock-skew allowance still let through opens nothing, like any other expired token
     */
    void connected(String sessionId, Map<String, Object> sessionAttributes, Instant at) {
        refuseIfPassed(at);
        sessionAttributes.put(DEADLINE, new AtomicReference<>(at));
        Deadline previous = deadlines.put(sessionId, schedule(sessionId, at));
        if (previous != null) {
            previous.closing().cancel(false);
        }
    }

    /**
     * The session ends at {@code at}, instead of at its earlier deadline (a refreshed token).
     * Nothing happens for a session that is gone or whose deadline has already fired.
     *
     * @throws BadCredentialsException if {@code at} has passed already
     */
    void endAt(String sessionId, Map<String, Object> sessionAttributes, Instant at) {
        refuseIfPassed(at);
        deadlines.computeIfPresent(sessionId, (id, previous) -> {
            previous.closing().cancel(false);
            AtomicReference<Instant> deadline = deadlineOf(sessionAttributes);
            if (deadline != null) {
                deadline.set(at);
            }
            return schedule(id, at);
        });
    }

    /**
     * Whether the token of the session with these attributes has expired, whether or not the
     * timer has closed it yet, and whether or not it has disconnected since. A session that never
     * connected has no deadline here: it has no user either, and Spring Security refuses it.
     */
    boolean expired(Map<String, Object> sessionAttributes) {
        AtomicReference<Instant> deadline = deadlineOf(sessionAttributes);
        return deadline != null && !deadline.get().isAfter(clock.instant());
    }

    @SuppressWarnings("unchecked")
    private static AtomicReference<Instant> deadlineOf(Map<String, Object> sessionAttributes) {
        return sessionAttributes == null ? null : (AtomicReference<Instant>) sessionAttributes.get(DEADLINE);
    }

    /** Closes every session whose deadline has passed by Chorus' clock, without waiting for the timer. */
    void expireDue() {
        Instant now = clock.instant();
        deadlines.forEach((sessionId, deadline) -> {
            if (!deadline.at().isAfter(now)) {
                expire(sessionId, deadline.at());
            }
        });
    }

    /** How many sessions have a deadline: no more than there are sessions connected. */
    int tracked() {
        return deadlines.size();
    }

    private Instant refuseIfPassed(Instant at) {
        if (!at.isAfter(clock.instant())) {
            throw new BadCredentialsException("The bearer token is invalid or expired.");
        }
        return at;
    }

    private Deadline schedule(String sessionId, Instant at) {
        return new Deadline(at, timer.schedule(() -> expire(sessionId, at), at));
    }

    private void expire(String sessionId, Instant at) {
        // A refresh may have moved the deadline after this closing was scheduled. The entry goes
        // whether or not the session is still there: frames racing the close are refused all
        // the same, by the deadline the session's attributes hold.
        AtomicBoolean due = new AtomicBoolean();
        deadlines.computeIfPresent(sessionId, (id, deadline) -> {
            due.set(deadline.at().equals(at));
            return due.get() ? null : deadline;
        });
        if (due.get()) {
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
