package io.chorus.platform.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Upkeep of the event publication registry: how often publications whose listener failed are
 * handed to it again, and how old a failure must be before it is retried (so a flapping
 * dependency is not hammered); how long completed publications are kept (for diagnosis: what
 * reached whom lately) before they are deleted, and how often that is checked.
 */
@Validated
@ConfigurationProperties("chorus.platform.events")
record EventRegistryProperties(
        @DefaultValue("1m") Duration redeliveryInterval,
        @DefaultValue("30s") Duration minFailureAge,
        @DefaultValue("1h") Duration completedRetention,
        @DefaultValue("5m") Duration cleanupInterval) {
}
