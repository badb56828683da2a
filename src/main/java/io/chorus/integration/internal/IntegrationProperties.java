package io.chorus.integration.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param tokenLifetime how long a token lives when its maker names no lifetime
 * @param maxTokenLifetime the longest lifetime anyone may give a token
 * @param rotationOverlap how long a rotated token keeps working beside its successor, so an
 *     integrator can roll the new one out without a gap
 * @param incomingWebhooks the URLs outside systems post into group conversations through
 */
@ConfigurationProperties("chorus.integration")
record IntegrationProperties(@DefaultValue("90d") Duration tokenLifetime,
        @DefaultValue("365d") Duration maxTokenLifetime, @DefaultValue("1h") Duration rotationOverlap,
        @DefaultValue IncomingWebhooks incomingWebhooks) {

    /**
     * @param rotationOverlap how long the URL and signing secret before a rotation keep working
     *     beside the new ones, so the sending system can switch without losing a post
     * @param maxBody the largest request body accepted; a larger one is refused unread (413)
     * @param seenIdsCleanupInterval how often webhook-ids older than twice the timestamp
     *     tolerance are forgotten
     */
    record IncomingWebhooks(@DefaultValue("24h") Duration rotationOverlap, @DefaultValue("64KB") DataSize maxBody,
            @DefaultValue("5m") Duration seenIdsCleanupInterval) {
    }
}
