package io.chorus.chat.stomp;

import io.chorus.chat.ChatEvents;
import io.chorus.platform.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.security.Principal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Chat's meters (docs/operations.md, "Monitoring"), taken from the edges without touching the
 * handlers: Spring's session events, and interceptors on the three STOMP channels added beside
 * {@link StompConfiguration}'s. The same interceptor puts the session id and user id in the
 * logging context while a frame is handled.
 *
 * <p>The send path pays a counter increment, a timer record and a few header reads per message:
 * no allocation of its own. Send→ack latency runs from the moment the SEND frame was decoded
 * ({@link FrameArrival}) to the moment its ack is handed to the broker, on the handling thread,
 * so a thread-local stamp links the two without a map of frames in flight.
 */
@Component
class ChatMetrics implements WebSocketMessageBrokerConfigurer {

    private static final String SEND_PREFIX = "/app/conversations/";
    private static final String SEND_SUFFIX = "/messages";

    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Counter sentByStomp;
    private final Counter sentByRest;
    private final Counter sentOtherwise;
    private final Counter liveEvents;
    private final Timer sendToAck;
    private final DistributionSummary fanout;
    /** When the SEND frame this thread handles was decoded ({@link System#nanoTime()}), or 0. */
    private final ThreadLocal<long[]> sendArrival = ThreadLocal.withInitial(() -> new long[1]);

    ChatMetrics(MeterRegistry registry) {
        Gauge.builder("chorus.stomp.sessions", sessions, Set::size)
                .description("STOMP sessions connected to this node").register(registry);
        sentByStomp = sent(registry, "stomp");
        sentByRest = sent(registry, "rest");
        sentOtherwise = sent(registry, "internal");
        liveEvents = Counter.builder("chorus.live.events.delivered")
                .description("Live events handed to this node's STOMP sessions (one per session)").register(registry);
        sendToAck = Timer.builder("chorus.chat.send.ack")
                .description("From a STOMP SEND frame read off the connection to its ack handed to the broker")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5))
                .register(registry);
        fanout = DistributionSummary.builder("chorus.live.fanout")
                .description("Users a live event is addressed to").baseUnit("users")
                .serviceLevelObjectives(1, 2, 5, 10, 50, 100, 500, 1000, 5000)
                .register(registry);
    }

    private static Counter sent(MeterRegistry registry, String channel) {
        return Counter.builder("chorus.messages.sent").description("Messages stored, by the edge they came through")
                .tag("channel", channel).register(registry);
    }

    /** How many users one live event is addressed to (before sessions are looked up). */
    void fannedOut(int users) {
        fanout.record(users);
    }

    @EventListener
    void connected(SessionConnectedEvent event) {
        String sessionId = SimpMessageHeaderAccessor.getSessionId(event.getMessage().getHeaders());
        if (sessionId != null) {
            sessions.add(sessionId);
        }
    }

    /** Spring may report one close more than once; the set counts it once. */
    @EventListener
    void disconnected(SessionDisconnectEvent event) {
        sessions.remove(event.getSessionId());
    }

    /**
     * Counted as the message is stored, inside its transaction: a rollback after that is rare
     * (the commit itself failing), and counting after commit would cost a synchronization per message.
     */
    @EventListener
    void posted(ChatEvents.MessagePosted posted) {
        if (sendArrival.get()[0] != 0) {
            sentByStomp.increment();
        } else if (RequestContextHolder.getRequestAttributes() != null) {
            sentByRest.increment();
        } else {
            sentOtherwise.increment();
        }
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        registration.interceptors(new FrameHandling());
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        registry.configureBrokerChannel().interceptors(new Acks());
    }

    @Override
    public void configureClientOutboundChannel(ChannelRegistration registration) {
        registration.interceptors(new LiveEvents());
    }

    /** Runs on the thread that handles each inbound frame, around each of its handlers. */
    final class FrameHandling implements ExecutorChannelInterceptor {

        @Override
        public Message<?> beforeHandle(Message<?> message, MessageChannel channel, MessageHandler handler) {
            var headers = message.getHeaders();
            String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
            if (sessionId != null) {
                MDC.put(LogContext.SESSION_ID, sessionId);
            }
            Principal user = SimpMessageHeaderAccessor.getUser(headers);
            if (user != null) {
                MDC.put(LogContext.USER_ID, user.getName());
            }
            // A client's SEND is the only inbound frame of type MESSAGE.
            if (SimpMessageType.MESSAGE.equals(SimpMessageHeaderAccessor.getMessageType(headers))) {
                String destination = SimpMessageHeaderAccessor.getDestination(headers);
                if (destination != null && destination.startsWith(SEND_PREFIX) && destination.endsWith(SEND_SUFFIX)) {
                    sendArrival.get()[0] = FrameArrival.receivedAt(message);
                }
            }
            return message;
        }

        @Override
        public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
                Exception failure) {
            sendArrival.get()[0] = 0;
            MDC.remove(LogContext.SESSION_ID);
            MDC.remove(LogContext.USER_ID);
        }
    }

    /** The broker channel is synchronous: an ack sent while a SEND is handled passes here on the same thread. */
    final class Acks implements ChannelInterceptor {

        @Override
        public Message<?> preSend(Message<?> message, MessageChannel channel) {
            long[] arrival = sendArrival.get();
            if (arrival[0] != 0) {
                String destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
                if (destination != null && destination.endsWith(ChatStompController.ACKS)) {
                    sendToAck.record(System.nanoTime() - arrival[0], TimeUnit.NANOSECONDS);
                }
            }
            return message;
        }
    }

    final class LiveEvents implements ChannelInterceptor {

        @Override
        public Message<?> preSend(Message<?> message, MessageChannel channel) {
            var headers = message.getHeaders();
            if (SimpMessageType.MESSAGE.equals(SimpMessageHeaderAccessor.getMessageType(headers))) {
                String destination = SimpMessageHeaderAccessor.getDestination(headers);
                if (destination != null && destination.startsWith(LiveFanout.EVENTS)) {
                    liveEvents.increment();
                }
            }
            return message;
        }
    }
}
