package io.chorus.chat.internal;

import io.chorus.chat.MessageRetention;
import io.chorus.platform.ScheduledJobs;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the retention purge every {@code chorus.chat.retention.purge-interval}, first one
 * interval after start-up, so a node that just started (or a test) is not surprised by it.
 * With nothing configured nothing expires, and a run only reads the policies. One node at a time:
 * two purging the same conversations would only wait for each other's row locks.
 */
@Configuration(proxyBeanMethods = false)
class RetentionSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final MessageRetention retention;
    private final ChatProperties.Retention settings;
    private final ScheduledJobs jobs;

    RetentionSchedule(MessageRetention retention, ChatProperties properties, ScheduledJobs jobs) {
        this.retention = retention;
        this.settings = properties.retention();
        this.jobs = jobs;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        if (settings.scheduled()) {
            Duration interval = settings.purgeInterval();
            // The first purge after a policy is shortened may erase millions of messages in batches: hours at worst.
            jobs.onOneNode(tasks, "chat.retention-purge", interval, interval, Duration.ofHours(2), this::purge);
        }
    }

    void purge() {
        try {
            MessageRetention.PurgeReport report = retention.purgeExpired();
            if (report.messages() > 0) {
                log.info("Retention purge erased {} messages in {} conversations ({} batches) in {} ms",
                        report.messages(), report.conversations(), report.batches(),
                        Duration.between(report.startedAt(), report.finishedAt()).toMillis());
            }
        } catch (RuntimeException retryLater) {
            log.warn("Retention purge failed; trying again in {}", settings.purgeInterval(), retryLater);
        }
    }
}
