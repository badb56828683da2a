package io.chorus.integration.internal;

import io.chorus.platform.ScheduledJobs;
import io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes the rows of buckets that have been full again for a minute: a bucket nobody spends from
 * is the same as no bucket, so the table holds only the budgets in use. Each statement deletes a
 * batch and skips rows a request holds locked, so several nodes could run it at once; one at a
 * time does the same work without contending.
 */
@Configuration(proxyBeanMethods = false)
class RateLimitCleanup implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RateLimitCleanup.class);

    private final ExpiredEntriesCleaner buckets;
    private final IntegrationProperties.RateLimits properties;
    private final ScheduledJobs jobs;

    RateLimitCleanup(ExpiredEntriesCleaner rateLimitBuckets, IntegrationProperties properties, ScheduledJobs jobs) {
        this.buckets = rateLimitBuckets;
        this.properties = properties.limits();
        this.jobs = jobs;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // Batches of idle buckets, at most one per caller and endpoint: seconds.
        jobs.onOneNode(tasks, "integration.rate-limit-cleanup", properties.cleanupInterval(),
                properties.cleanupInterval(), Duration.ofMinutes(10), this::removeExpired);
    }

    /** @return how many bucket rows were deleted */
    int removeExpired() {
        int removed = 0;
        try {
            int batch;
            do {
                batch = buckets.removeExpired(properties.cleanupBatch());
                removed += batch;
            } while (batch == properties.cleanupBatch());
        } catch (RuntimeException retryLater) {
            log.warn("Could not remove expired rate-limit buckets; trying again in {}", properties.cleanupInterval(),
                    retryLater);
        }
        return removed;
    }
}
