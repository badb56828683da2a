package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
import jakarta.websocket.Session;
import java.util.concurrent.ThreadPoolExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * STOMP over plain WebSocket at {@code /ws}. Clients SEND to {@code /app/...} and SUBSCRIBE to
 * their own {@code /user/queue/...} destinations only. One node delivers with Spring's in-process
 * broker; several nodes relay to an external STOMP broker ({@code chorus.chat.broker.relay}),
 * without changing any destination.
 *
 * <p>Ordered before Spring Security's configurer so the CONNECT frame is authenticated before
 * Security authorizes it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
@Order(Ordered.HIGHEST_PRECEDENCE + 99)
class StompConfiguration implements WebSocketMessageBrokerConfigurer {

    private final ChatProperties properties;
    private final StompAuthentication authentication;
    private final SendRateLimit rateLimit;
    private final StompErrorFrames errorFrames;
    private final StompReceipts receipts;
    private final SessionActivity sessions;
    private final ObjectProvider<BrokerOutage> brokerOutage;
    private final GracefulStop gracefulStop;

    StompConfiguration(ChatProperties properties, StompAuthentication authentication,
            SendRateLimit rateLimit, StompErrorFrames errorFrames, StompReceipts receipts,
            SessionActivity sessions, ObjectProvider<BrokerOutage> brokerOutage, GracefulStop gracefulStop) {
        this.properties = properties;
        this.authentication = authentication;
        this.rateLimit = rateLimit;
        this.errorFrames = errorFrames;
        this.receipts = receipts;
        this.sessions = sessions;
        this.brokerOutage = brokerOutage;
        this.gracefulStop = gracefulStop;
    }

    /** Static: a bean post-processor must not make this configuration (and what it needs) early. */
    @Bean
    static RelayWiring relayWiring(ObjectProvider<NodeBus> bus) {
        return new RelayWiring(bus);
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        HandshakeRefusals refusals = new HandshakeRefusals();
        registry.addEndpoint("/ws")
                .setHandshakeHandler(refusals)
                .addInterceptors(refusals, sessions)
                .setAllowedOriginPatterns(properties.stomp().allowedOrigins().toArray(String[]::new));
        registry.setErrorHandler(errorFrames);
        // One session's frames are handled in the order sent: two messages typed in a row keep their order.
        registry.setPreserveReceiveOrder(true);
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        ThreadPoolTaskScheduler heartbeats = new ThreadPoolTaskScheduler();
        heartbeats.setPoolSize(1);
        heartbeats.setThreadNamePrefix("stomp-heartbeat-");
        heartbeats.setDaemon(true);
        heartbeats.initialize();
        var relay = properties.broker().relay();
        if (relay.enabled()) {
            // Each client session gets its own connection to the broker, which then keeps the
            // client's heart-beats; the node's own ("system") connection carries the node bus.
            long systemHeartbeat = relay.systemHeartbeat().toMillis();
            var registration = registry.enableStompBrokerRelay("/queue", "/topic")
                    .setRelayHost(relay.host())
                    .setRelayPort(relay.port())
                    .setSystemHeartbeatSendInterval(systemHeartbeat)
                    .setSystemHeartbeatReceiveInterval(systemHeartbeat)
                    .setTaskScheduler(heartbeats);
            if (!relay.login().isEmpty()) {
                registration.setClientLogin(relay.login()).setClientPasscode(relay.passcode())
                        .setSystemLogin(relay.login()).setSystemPasscode(relay.passcode());
            }
            if (!relay.virtualHost().isEmpty()) {
                registration.setVirtualHost(relay.virtualHost());
            }
        } else {
            long heartbeat = properties.stomp().heartbeat().toMillis();
            registry.enableSimpleBroker("/queue", "/topic")
                    .setHeartbeatValue(new long[] {heartbeat, heartbeat})
                    .setTaskScheduler(heartbeats);
        }
        registry.setApplicationDestinationPrefixes("/app");
        registry.setUserDestinationPrefix("/user");
        // A session's frames leave in the order they were handed to the broker. Without this the
        // clientOutboundChannel's thread pool reorders them even when LiveFanout sends a
        // conversation's events in seq order (measured: LiveEventOrderTest then fails).
        registry.setPreservePublishOrder(true);
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        var stomp = properties.stomp();
        registration.setMessageSizeLimit(stomp.maxFrameBytes())
                .setSendBufferSizeLimit(stomp.sendBufferBytes())
                .setSendTimeLimit(Math.toIntExact(stomp.sendTimeLimit().toMillis()))
                .addDecoratorFactory(this::decorate);
    }

    /** Tomcat's name for how long one blocking write to a WebSocket may take (its default is 20 s). */
    static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    /**
     * Frames are taken in parts with small buffers ({@link SessionFootprint#inParts}).
     *
     * <p>A client that stops reading is cut off after {@code send-time-limit}. Spring checks that
     * limit only when a second frame is handed over while a write is stuck, and with
     * {@code preservePublishOrder} frames reach a session one at a time, so that never happens:
     * the stuck write itself has to give up. Tomcat's blocking-send timeout is that bound; the
     * failed write closes the session, and the outbound thread is free for other sessions again.
     */
    private WebSocketHandler decorate(WebSocketHandler handler) {
        long sendTimeLimit = properties.stomp().sendTimeLimit().toMillis();
        return SessionFootprint.inParts(new WebSocketHandlerDecorator(handler) {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                if (session instanceof NativeWebSocketSession nativeSession
                        && nativeSession.getNativeSession(Session.class) instanceof Session endpoint) {
                    endpoint.getUserProperties().put(BLOCKING_SEND_TIMEOUT, sendTimeLimit);
                }
                super.afterConnectionEstablished(session);
            }
        }, properties.stomp().sessionBufferBytes());
    }

    /**
     * Inbound frames are handled by a fixed pool with a bounded queue instead of Spring's
     * unbounded one. Past capacity, message SENDs that waited too long are refused with
     * OVERLOADED by their handler ({@link ChatStompController#send}), which empties the queue
     * fast. Should the queue still fill up, the connection's own thread handles its frame
     * (caller runs): that connection is read more slowly, and no frame (a CONNECT, a DISCONNECT)
     * is ever dropped.
     */
    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        var overload = properties.overload();
        ThreadPoolTaskExecutor inbound = new ThreadPoolTaskExecutor();
        inbound.setThreadNamePrefix("clientInboundChannel-");
        inbound.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy());
        registration.taskExecutor(inbound)
                .corePoolSize(overload.inboundThreads())
                .maxPoolSize(overload.inboundThreads())
                .queueCapacity(overload.inboundQueueCapacity());
        // errorFrames first: it answers the refusals of every interceptor after it with an ERROR frame.
        registration.interceptors(errorFrames, gracefulStop, authentication, rateLimit, receipts);
    }

    @Override
    public void configureClientOutboundChannel(ChannelRegistration registration) {
        brokerOutage.ifAvailable(registration::interceptors);
    }
}
