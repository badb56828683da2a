package io.chorus.platform.internal;

import io.chorus.platform.ScheduledJobs;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes Idempotency-Keys older than their time-to-live. Lookups already ignore expired keys, so
 * this only keeps the table small. One node at a time: deleting is idempotent, but several nodes
 * deleting the same rows at once only contend for them.
 */
@Configuration(proxyBeanMethods = false)
class IdempotentRequestCleanup implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(IdempotentRequestCleanup.class);

    private final IdempotentRequests requests;
    private final IdempotencyProperties properties;
    private final Clock clock;
    private final ScheduledJobs jobs;

    IdempotentRequestCleanup(IdempotentRequests requests, IdempotencyProperties properties, Clock clock,
            ScheduledJobs jobs) {
        this.requests = requests;
        this.properties = properties;
        this.clock = clock;
        this.jobs = jobs;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // One DELETE by an indexed age: seconds, even after a day's backlog.
        jobs.onOneNode(tasks, "platform.idempotency-key-cleanup", Duration.ZERO, properties.cleanupInterval(),
                Duration.ofMinutes(10), this::deleteExpired);
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
