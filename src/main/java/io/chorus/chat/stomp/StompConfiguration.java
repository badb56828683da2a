package io.chorus.chat.stomp;

import io.chorus.chat.internal.ChatProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * STOMP over plain WebSocket at {@code /ws}. Clients SEND to {@code /app/...} and SUBSCRIBE to
 * their own {@code /user/queue/...} destinations only; the in-process broker delivers. A broker
 * relay (RabbitMQ, Artemis) for several nodes replaces {@code enableSimpleBroker} without
 * changing any destination.
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

    StompConfiguration(ChatProperties properties, StompAuthentication authentication,
            SendRateLimit rateLimit, StompErrorFrames errorFrames, StompReceipts receipts,
            SessionActivity sessions) {
        this.properties = properties;
        this.authentication = authentication;
        this.rateLimit = rateLimit;
        this.errorFrames = errorFrames;
        this.receipts = receipts;
        this.sessions = sessions;
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
        long heartbeat = properties.stomp().heartbeat().toMillis();
        registry.enableSimpleBroker("/queue", "/topic")
                .setHeartbeatValue(new long[] {heartbeat, heartbeat})
                .setTaskScheduler(heartbeats);
        registry.setApplicationDestinationPrefixes("/app");
        registry.setUserDestinationPrefix("/user");
        // A session's frames leave in the order they were handed to the broker. Without this the
        // clientOutboundChannel's thread pool reorders them even when LiveFanout sends a
        // conversation's events in seq order (measured: LiveEventOrderTest then fails).
        registry.setPreservePublishOrder(true);
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        registration.setMessageSizeLimit(properties.stomp().maxFrameBytes())
                .setSendBufferSizeLimit(1024 * 1024)
                .setSendTimeLimit(15_000)
                .addDecoratorFactory(handler -> SessionFootprint.inParts(handler,
                        properties.stomp().sessionBufferBytes()));
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        // errorFrames first: it answers the refusals of every interceptor after it with an ERROR frame.
        registration.interceptors(errorFrames, authentication, rateLimit, receipts);
    }
}
