package io.chorus.integration.internal;

import io.chorus.platform.ScheduledJobs;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Forgets the webhook-ids of signed deliveries older than twice the timestamp tolerance: a
 * replay of one of them carries a timestamp that is stale by then, so the row protects nothing.
 * One node at a time: deleting is idempotent, but several nodes would only contend for the same rows.
 */
@Configuration(proxyBeanMethods = false)
class SeenDeliveryCleanup implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SeenDeliveryCleanup.class);

    private final IncomingWebhookStore store;
    private final IntegrationProperties.IncomingWebhooks settings;
    private final Clock clock;
    private final ScheduledJobs jobs;

    SeenDeliveryCleanup(IncomingWebhookStore store, IntegrationProperties properties, Clock clock,
            ScheduledJobs jobs) {
        this.store = store;
        this.settings = properties.incomingWebhooks();
        this.clock = clock;
        this.jobs = jobs;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // One DELETE of an interval's sightings: seconds.
        jobs.onOneNode(tasks, "integration.seen-delivery-cleanup", settings.seenIdsCleanupInterval(),
                settings.seenIdsCleanupInterval(), Duration.ofMinutes(10), this::forgetOldSightings);
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
