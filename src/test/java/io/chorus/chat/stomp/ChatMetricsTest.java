package io.chorus.chat.stomp;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.chat.ChatEvents;
import io.chorus.chat.ConversationId;
import io.chorus.identity.UserId;
import io.chorus.platform.LogContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.Principal;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;

/** Chat's meters and the STOMP logging context, frame by frame, without a server. */
class ChatMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ChatMetrics metrics = new ChatMetrics(registry);

    @AfterEach
    void clearLogContext() {
        MDC.clear();
    }

    @Test
    void aFrameIsHandledWithItsSessionAndUserInTheLogContextAndLeavesNothingBehind() {
        Message<byte[]> frame = frame(SimpMessageType.MESSAGE, "/app/conversations/c-1/typing", "session-1",
                () -> "user-1");
        ChatMetrics.FrameHandling handling = metrics.new FrameHandling();

        handling.beforeHandle(frame, null, null);
        assertThat(MDC.get(LogContext.SESSION_ID)).isEqualTo("session-1");
        assertThat(MDC.get(LogContext.USER_ID)).isEqualTo("user-1");

        handling.afterMessageHandled(frame, null, null, null);
        assertThat(MDC.get(LogContext.SESSION_ID)).isNull();
        assertThat(MDC.get(LogContext.USER_ID)).isNull();
    }

    @Test
    void sendToAckRunsFromTheFramesArrivalToItsAckAndCountsTheMessageAsStomp() {
        Message<byte[]> send = MessageBuilder.fromMessage(frame(SimpMessageType.MESSAGE,
                        "/app/conversations/c-1/messages", "session-1", () -> "user-1"))
                .setHeader(FrameArrival.RECEIVED_AT, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(50)).build();
        ChatMetrics.FrameHandling handling = metrics.new FrameHandling();
        ChatMetrics.Acks acks = metrics.new Acks();

        handling.beforeHandle(send, null, null);
        metrics.posted(posted());
        acks.preSend(frame(SimpMessageType.MESSAGE, "/user/session-1" + ChatStompController.ACKS, "session-1", null), null);
        handling.afterMessageHandled(send, null, null, null);
        // Outside a SEND frame: a message from elsewhere (no HTTP request either), and an ack-like send that is no ack.
        metrics.posted(posted());
        acks.preSend(frame(SimpMessageType.MESSAGE, "/user/session-1" + ChatStompController.ACKS, "session-1", null), null);

        var latency = registry.get("chorus.chat.send.ack").timer();
        assertThat(latency.count()).isEqualTo(1);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
        assertThat(registry.get("chorus.messages.sent").tag("channel", "stomp").counter().count()).isEqualTo(1);
        assertThat(registry.get("chorus.messages.sent").tag("channel", "internal").counter().count()).isEqualTo(1);
        assertThat(registry.get("chorus.messages.sent").tag("channel", "rest").counter().count()).isZero();
    }

    @Test
    void liveEventsAreCountedPerSessionAndAcksAreNot() {
        ChatMetrics.LiveEvents outbound = metrics.new LiveEvents();
        outbound.preSend(frame(SimpMessageType.MESSAGE, LiveFanout.EVENTS + "-usersession-1", "session-1", null), null);
        outbound.preSend(frame(SimpMessageType.MESSAGE, LiveFanout.EVENTS + "-usersession-2", "session-2", null), null);
        outbound.preSend(frame(SimpMessageType.MESSAGE, ChatStompController.ACKS + "-usersession-1", "session-1", null),
                null);
        outbound.preSend(frame(SimpMessageType.HEARTBEAT, null, "session-1", null), null);

        assertThat(registry.get("chorus.live.events.delivered").counter().count()).isEqualTo(2);
    }

    private static Message<byte[]> frame(SimpMessageType type, String destination, String sessionId, Principal user) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(type);
        headers.setDestination(destination);
        headers.setSessionId(sessionId);
        headers.setUser(user);
        return MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders());
    }

    private static ChatEvents.MessagePosted posted() {
        return new ChatEvents.MessagePosted(ConversationId.of(UUID.randomUUID()), 1, 1, UserId.of(UUID.randomUUID()),
                "hello", Instant.now());
    }
}
