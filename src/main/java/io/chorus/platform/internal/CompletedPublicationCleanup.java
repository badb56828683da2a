package io.chorus.platform.internal;

import io.chorus.platform.ScheduledJobs;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Deletes completed event publications once they are older than the retention. Spring Modulith
 * marks a publication completed and keeps it; without this the registry grows by a row per
 * event and listener forever (billions of rows in a year of a large company), and every query
 * of it slows down. The last hour's publications stay, to see what reached whom. One node at a
 * time: several would only contend for the same rows.
 */
@Configuration(proxyBeanMethods = false)
class CompletedPublicationCleanup implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(CompletedPublicationCleanup.class);

    private final CompletedEventPublications completed;
    private final EventRegistryProperties properties;
    private final ScheduledJobs jobs;

    CompletedPublicationCleanup(CompletedEventPublications completed, EventRegistryProperties properties,
            ScheduledJobs jobs) {
        this.completed = completed;
        this.properties = properties;
        this.jobs = jobs;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // One DELETE of at most an interval's completed publications (millions at the most): minutes, not more.
        jobs.onOneNode(tasks, "platform.completed-publication-cleanup", Duration.ZERO, properties.cleanupInterval(),
                Duration.ofMinutes(30), this::deleteExpired);
    }

    void deleteExpired() {
        try {
            completed.deletePublicationsOlderThan(properties.completedRetention());
        } catch (RuntimeException retryLater) {
            log.warn("Could not delete completed event publications; trying again in {}",
                    properties.cleanupInterval(), retryLater);
        }
    }
}
