package io.chorus.platform.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How often publications whose listener failed are handed to it again, and how old a failure
 * must be before it is retried (so a flapping dependency is not hammered).
 */
@Validated
@ConfigurationProperties("chorus.platform.events")
record EventRedeliveryProperties(
        @DefaultValue("1m") Duration redeliveryInterval,
        @DefaultValue("30s") Duration minFailureAge) {
}
