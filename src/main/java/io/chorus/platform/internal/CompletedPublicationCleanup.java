package io.chorus.platform.internal;

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
 * of it slows down. The last hour's publications stay, to see what reached whom. Deleting is
 * idempotent, so several nodes may each run it.
 */
@Configuration(proxyBeanMethods = false)
class CompletedPublicationCleanup implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(CompletedPublicationCleanup.class);

    private final CompletedEventPublications completed;
    private final EventRegistryProperties properties;

    CompletedPublicationCleanup(CompletedEventPublications completed, EventRegistryProperties properties) {
        this.completed = completed;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::deleteExpired, properties.cleanupInterval());
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
