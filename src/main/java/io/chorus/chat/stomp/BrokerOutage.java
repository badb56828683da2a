package io.chorus.chat.stomp;

import io.chorus.chat.ChatProblems;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * What losing the external broker (several nodes) looks like. Health: the {@code broker}
 * component is DOWN, with since when, until the node's connection is back. Clients: Spring's
 * relay ends every session whose broker connection broke, and refuses new CONNECTs, with an ERROR
 * frame in its own words; this turns those into Chorus's structured error BROKER_UNAVAILABLE (503,
 * with a retry hint), so clients reconnect and catch up by seq as after any other drop.
 *
 * <p>Not part of readiness: REST works without the broker, and taking every node out of service
 * for it would turn a live-chat outage into a total one.
 */
@Component("broker")
@ConditionalOnProperty(name = "chorus.chat.broker.relay.enabled", havingValue = "true")
class BrokerOutage implements HealthIndicator, ChannelInterceptor {

    private static final Logger log = LoggerFactory.getLogger(BrokerOutage.class);
    /** A reconnect earlier than this would most likely find the broker still gone. */
    static final long RETRY_AFTER_MS = 2_000;

    private final JsonMapper json;
    private final Clock clock;
    /** Since when the broker is unavailable; null while it is available. Unavailable until first connected. */
    private final AtomicReference<Instant> downSince;

    BrokerOutage(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
        this.downSince = new AtomicReference<>(clock.instant());
    }

    @EventListener
    void on(BrokerAvailabilityEvent event) {
        if (event.isBrokerAvailable()) {
            Instant was = downSince.getAndSet(null);
            if (was != null) {
                log.info("The STOMP broker is available (unavailable since {})", was);
            }
        } else if (downSince.compareAndSet(null, clock.instant())) {
            log.warn("The STOMP broker is unavailable: live sessions on this node end with BROKER_UNAVAILABLE "
                    + "and new ones are refused until it is back");
        }
    }

    @Override
    public Health health() {
        Instant since = downSince.get();
        return since == null ? Health.up().build()
                : Health.down().withDetail("reason", "no connection to the STOMP broker").withDetail("since", since)
                        .build();
    }

    /** On the client outbound channel: the relay's plain-text ERROR frames become structured ones. */
    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        // Every frame to every client passes here: look at one header before making an accessor.
        if (StompHeaderAccessor.getCommand(message.getHeaders()) != StompCommand.ERROR) {
            return message;
        }
        StompHeaderAccessor headers = StompHeaderAccessor.wrap(message);
        if (isJson(headers.getContentType())) {
            return message;
        }
        log.debug("Broker relay ended session {}: {}", headers.getSessionId(), headers.getMessage());
        StompError error = new StompError(ChatProblems.BROKER_UNAVAILABLE, 503,
                "Live delivery is interrupted: this node lost its message broker. Reconnect and catch up by seq.",
                null, null, RETRY_AFTER_MS);
        StompHeaderAccessor structured = StompHeaderAccessor.create(StompCommand.ERROR);
        structured.setMessage(error.code());
        structured.setContentType(MimeTypeUtils.APPLICATION_JSON);
        structured.setSessionId(headers.getSessionId());
        if (headers.getReceiptId() != null) {
            structured.setReceiptId(headers.getReceiptId());
        }
        return MessageBuilder.createMessage(json.writeValueAsBytes(error), structured.getMessageHeaders());
    }

    private static boolean isJson(MimeType type) {
        return type != null && type.isCompatibleWith(MimeTypeUtils.APPLICATION_JSON);
    }
}
