package io.chorus.platform.internal;

import io.chorus.platform.ScheduledJobs;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Nothing a module published is dropped because a listener in another module failed. Spring
 * Modulith republishes publications still waiting at startup; a listener that threw leaves
 * its publication FAILED (and one cut off by a crash mid-way turns FAILED once stale), and
 * this task hands those to their listener again until it succeeds. Listeners are idempotent,
 * so a second delivery does no harm; one node at a time resubmits, so that two nodes do not
 * hand the same publication over twice in the same minute.
 */
@Configuration(proxyBeanMethods = false)
class EventRedelivery implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(EventRedelivery.class);

    private final FailedEventPublications failed;
    private final EventRegistryProperties properties;
    private final ScheduledJobs jobs;

    EventRedelivery(FailedEventPublications failed, EventRegistryProperties properties, ScheduledJobs jobs) {
        this.failed = failed;
        this.properties = properties;
        this.jobs = jobs;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // Resubmitting hands each publication to the listener's executor; the listeners run after the lock is gone.
        jobs.onOneNode(tasks, "platform.event-redelivery", Duration.ZERO, properties.redeliveryInterval(),
                Duration.ofMinutes(10), this::redeliver);
    }

    void redeliver() {
        try {
            failed.resubmit(ResubmissionOptions.defaults().withMinAge(properties.minFailureAge()));
        } catch (RuntimeException retryLater) {
            log.warn("Could not resubmit failed event publications; trying again in {}",
                    properties.redeliveryInterval(), retryLater);
        }
    }
}
