package io.chorus.platform.internal;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes Idempotency-Keys older than their time-to-live. Lookups already ignore expired keys, so
 * this only keeps the table small; deleting is idempotent, so several nodes may each run it.
 */
@Configuration(proxyBeanMethods = false)
class IdempotentRequestCleanup implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(IdempotentRequestCleanup.class);

    private final IdempotentRequests requests;
    private final IdempotencyProperties properties;
    private final Clock clock;

    IdempotentRequestCleanup(IdempotentRequests requests, IdempotencyProperties properties, Clock clock) {
        this.requests = requests;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::deleteExpired, properties.cleanupInterval());
    }

    void deleteExpired() {
        try {
            requests.deleteExpired(clock.instant());
        } catch (RuntimeException retryLater) {
            log.warn("Could not delete expired Idempotency-Keys; trying again in {}", properties.cleanupInterval(),
                    retryLater);
        }
    }
}
