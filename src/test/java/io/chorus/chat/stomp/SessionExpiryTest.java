package io.chorus.chat.stomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.platform.ProblemCodes;
import io.chorus.support.AdjustableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deadlines of STOMP sessions: one per connected session, never one for a session that is
 * gone, and the timer keeps Chorus' clock.
 */
class SessionExpiryTest {

    private final AdjustableClock clock = new AdjustableClock();
    private final List<Message<?>> closings = new CopyOnWriteArrayList<>();
    private final MessageChannel outbound = (message, timeout) -> closings.add(message);
    private final SessionExpiry expiry = new SessionExpiry(new StompErrorFrames(JsonMapper.builder().build(),
            new StaticListableBeanFactory(Map.of("clientOutboundChannel", outbound)).getBeanProvider(MessageChannel.class),
            null), clock);

    /** One session's attributes, as Spring hands them with each of its frames. */
    private final Map<String, Object> s1 = new ConcurrentHashMap<>();

    @AfterEach
    void stopTimer() {
        expiry.destroy();
    }

    @Test
    void aRefreshThatComesAfterTheDisconnectLeavesNoDeadlineBehind() {
        Instant now = clock.instant();
        expiry.connected("s1", s1, now.plus(Duration.ofMinutes(5)));

        expiry.forget(disconnected("s1"));
        expiry.endAt("s1", s1, now.plus(Duration.ofHours(1)));

        assertThat(expiry.tracked()).isZero();
    }

    @Test
    void aDeadlineGoesWhenItFiresEvenIfTheSessionIsAlreadyGone() {
        // A CONNECT that lost the race with its disconnect: no disconnect event will come again.
        expiry.connected("s1", s1, clock.instant().plus(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(6));

        expiry.expireDue();

        assertThat(expiry.tracked()).isZero();
        assertThat(closings).singleElement().satisfies(closing -> {
            StompHeaderAccessor headers = StompHeaderAccessor.wrap(closing);
            assertThat(headers.getCommand()).isEqualTo(StompCommand.ERROR);
            assertThat(headers.getMessage()).isEqualTo(ProblemCodes.TOKEN_EXPIRED);
            assertThat(headers.getSessionId()).isEqualTo("s1");
        });
    }

    @Test
    void aMovedDeadlineIsNotDueAtTheOldOne() {
        Instant now = clock.instant();
        expiry.connected("s1", s1, now.plus(Duration.ofMinutes(5)));
        expiry.endAt("s1", s1, now.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(6));

        expiry.expireDue();

        assertThat(closings).isEmpty();
        assertThat(expiry.expired(s1)).isFalse();
        assertThat(expiry.tracked()).isEqualTo(1);
    }

    @Test
    void theTimerWaitsByChorusClock() {
        // A millisecond away by Chorus' clock, an hour away by the system's.
        clock.advance(Duration.ofHours(1));
        expiry.connected("s1", s1, clock.instant().plusMillis(1));

        // Generous: on a loaded machine (the full suite) the timer thread may wait its turn a while.
        await().atMost(Duration.ofSeconds(30)).until(() -> closings.size() == 1);
        assertThat(SimpMessageHeaderAccessor.getSessionId(closings.getFirst().getHeaders())).isEqualTo("s1");
        assertThat(expiry.tracked()).isZero();
    }

    @Test
    void aFrameAfterTheDeadlineIsExpiredEvenBeforeTheTimerHasClosedTheSession() {
        expiry.connected("s1", s1, clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(expiry.expired(s1)).isFalse();

        clock.advance(Duration.ofMinutes(6));

        assertThat(expiry.expired(s1)).as("the timer has not run; the frame is refused all the same").isTrue();
    }

    @Test
    void framesSentBeforeADisconnectAreStillJudgedByTheirToken() {
        // The client sent, then closed: its frames may be handled after the disconnect event.
        expiry.connected("s1", s1, clock.instant().plus(Duration.ofMinutes(5)));
        expiry.forget(disconnected("s1"));

        assertThat(expiry.expired(s1)).as("a valid token, whatever became of the timer").isFalse();
        clock.advance(Duration.ofMinutes(6));
        assertThat(expiry.expired(s1)).as("an expired one").isTrue();
    }

    @Test
    void aSessionThatNeverConnectedIsNotJudgedHere() {
        assertThat(expiry.expired(new ConcurrentHashMap<>())).isFalse();
        assertThat(expiry.expired(null)).isFalse();
    }

    private static SessionDisconnectEvent disconnected(String sessionId) {
        StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.DISCONNECT);
        headers.setSessionId(sessionId);
        return new SessionDisconnectEvent(SessionExpiryTest.class,
                MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders()), sessionId, CloseStatus.NORMAL);
    }
}
