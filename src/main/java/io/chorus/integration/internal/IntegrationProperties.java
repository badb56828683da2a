package io.chorus.integration.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param tokenLifetime how long a token lives when its maker names no lifetime
 * @param maxTokenLifetime the longest lifetime anyone may give a token
 * @param rotationOverlap how long a rotated token keeps working beside its successor, so an
 *     integrator can roll the new one out without a gap
 */
@ConfigurationProperties("chorus.integration")
record IntegrationProperties(@DefaultValue("90d") Duration tokenLifetime,
        @DefaultValue("365d") Duration maxTokenLifetime, @DefaultValue("1h") Duration rotationOverlap) {
}
