package io.chorus.integration.internal;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Forgets the webhook-ids of signed deliveries older than twice the timestamp tolerance: a
 * replay of one of them carries a timestamp that is stale by then, so the row protects nothing.
 * Deleting is idempotent, so every node may run it; no lock is needed.
 */
@Configuration(proxyBeanMethods = false)
class SeenDeliveryCleanup implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SeenDeliveryCleanup.class);

    private final IncomingWebhookStore store;
    private final IntegrationProperties.IncomingWebhooks settings;
    private final Clock clock;

    SeenDeliveryCleanup(IncomingWebhookStore store, IntegrationProperties properties, Clock clock) {
        this.store = store;
        this.settings = properties.incomingWebhooks();
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::forgetOldSightings, settings.seenIdsCleanupInterval(),
                settings.seenIdsCleanupInterval()));
    }

    int forgetOldSightings() {
        try {
            return store.forgetSightingsBefore(clock.instant().minus(WebhookSignatures.TOLERANCE.multipliedBy(2)));
        } catch (RuntimeException retryLater) {
            log.warn("Could not forget old incoming webhook ids; trying again in {}",
                    settings.seenIdsCleanupInterval(), retryLater);
            return 0;
        }
    }
}
