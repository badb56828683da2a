package io.chorus.integration.internal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Outgoing webhooks: how the delivery worker polls, retries and forgets.
 *
 * @param scheduled whether this node polls for due deliveries (tests call the worker themselves)
 * @param pollInterval the pause between two polls of the queue
 * @param concurrency deliveries one node sends at once (one poll claims at most this many)
 * @param leaseMargin added to the outbound connect and response timeouts to make a claim's lease:
 *     past it, a delivery whose node died mid-send is claimable by another node
 * @param backoffBase the nominal wait after the first failed attempt; it doubles with each further one
 * @param backoffMax the longest nominal wait between two attempts
 * @param maxAttempts attempts before a delivery that keeps failing (5xx, timeout, reset) is given up
 * @param clientErrorAttempts attempts for a 4xx answer (other than 408, 410 and 429): a refusal rarely heals
 * @param secretOverlap how long a rotated secret keeps signing beside its successor
 * @param indexTtl how long a node trusts its in-memory index of subscriptions: another node's
 *     change reaches this one's message events within this time
 * @param retention how long finished deliveries (and their attempts) stay in the log
 * @param retentionInterval how often finished deliveries past the retention are removed
 * @param maxSubscriptions subscriptions one owner may have
 * @param maxConversations conversations one subscription may list for message.posted
 * @param maxReplay deliveries one range replay may resend
 */
@Validated
@ConfigurationProperties("chorus.integration.webhooks")
record WebhookProperties(
        @DefaultValue("true") boolean scheduled,
        @DefaultValue("2s") Duration pollInterval,
        @Min(1) @Max(256) @DefaultValue("16") int concurrency,
        @DefaultValue("30s") Duration leaseMargin,
        @DefaultValue("5m") Duration backoffBase,
        @DefaultValue("10h") Duration backoffMax,
        @Min(1) @Max(30) @DefaultValue("10") int maxAttempts,
        @Min(1) @Max(30) @DefaultValue("3") int clientErrorAttempts,
        @DefaultValue("24h") Duration secretOverlap,
        @DefaultValue("5s") Duration indexTtl,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1h") Duration retentionInterval,
        @Min(1) @DefaultValue("20") int maxSubscriptions,
        @Min(1) @DefaultValue("500") int maxConversations,
        @Min(1) @DefaultValue("1000") int maxReplay) {
}
