package io.chorus.integration.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Webhook delivery attempts by outcome (docs/operations.md, "Monitoring"). */
@Component
class IntegrationMetrics {

    /** What became of one attempt to deliver a webhook. */
    enum DeliveryOutcome {
        /** A 2xx answer. */
        DELIVERED,
        /** Failed, tried again later. */
        RETRY,
        /** Failed for the last time (attempts used up, or a target refused by SSRF protection). */
        FAILED,
        /** 410 Gone: the subscription was switched off. */
        GONE,
        /** Not sent: the subscription was disabled or its owner deactivated meanwhile. */
        CANCELLED
    }

    private final Map<DeliveryOutcome, Counter> deliveries = new EnumMap<>(DeliveryOutcome.class);

    IntegrationMetrics(MeterRegistry registry) {
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            deliveries.put(outcome, Counter.builder("chorus.webhook.deliveries")
                    .description("Webhook delivery attempts, by outcome")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
    }

    void delivery(DeliveryOutcome outcome) {
        deliveries.get(outcome).increment();
    }
}
