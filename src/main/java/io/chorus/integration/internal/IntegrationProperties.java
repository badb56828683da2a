package io.chorus.integration.internal;

import io.chorus.integration.internal.IntegrationLimits.Limit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything an operator sets for integrations, under {@code chorus.integration}: tokens at the
 * top, then one nested record per part of the module. Each bean takes this record and keeps the
 * part it uses.
 *
 * @param tokenLifetime how long a token lives when its maker names no lifetime
 * @param maxTokenLifetime the longest lifetime anyone may give a token
 * @param rotationOverlap how long a rotated token keeps working beside its successor, so an
 *     integrator can roll the new one out without a gap
 * @param incomingWebhooks the URLs outside systems post into group conversations through
 * @param outbound how Chorus calls integrators' endpoints
 * @param limits the integrations' rate limits
 * @param webhooks outgoing webhooks: how deliveries are polled, retried and forgotten
 * @param commands slash commands and card actions
 */
@ConfigurationProperties("chorus.integration")
@Validated
record IntegrationProperties(@DefaultValue("90d") Duration tokenLifetime,
        @DefaultValue("365d") Duration maxTokenLifetime, @DefaultValue("1h") Duration rotationOverlap,
        @DefaultValue @Valid IncomingWebhooks incomingWebhooks, @DefaultValue @Valid OutboundCalls outbound,
        @DefaultValue @Valid RateLimits limits, @DefaultValue @Valid Webhooks webhooks,
        @DefaultValue @Valid Commands commands) {

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

    /**
     * How Chorus calls integrators' endpoints (see {@link Outbound}).
     *
     * @param connectTimeout how long opening the TCP connection (and the TLS handshake's first read) may take
     * @param responseTimeout the deadline for the whole response, headers and body, from the moment the
     *     request is sent: an endpoint that trickles bytes cannot hold a worker longer than this
     * @param maxResponseBytes the most response body bytes kept; the rest is not read and the body is cut there
     * @param allowHttp plain http targets are refused unless this is set (tests against a local
     *     endpoint, closed networks)
     * @param allow on-premise targets that SSRF protection would refuse (an ERP inside the company
     *     network): CIDRs ({@code 10.20.0.0/16}), single addresses ({@code 10.20.1.5}) or host names
     *     ({@code erp.corp.example}, whatever it resolves to). Empty: only public addresses.
     * @param maxConnections open connections kept to all integrators together
     * @param maxConnectionsPerTarget open connections kept to one of them
     */
    record OutboundCalls(@DefaultValue("3s") Duration connectTimeout, @DefaultValue("10s") Duration responseTimeout,
            @Min(0) @Max(16 * 1024 * 1024) @DefaultValue("65536") int maxResponseBytes,
            @DefaultValue("false") boolean allowHttp, @DefaultValue({}) List<String> allow,
            @Min(1) @DefaultValue("64") int maxConnections, @Min(1) @DefaultValue("8") int maxConnectionsPerTarget) {

        OutboundCalls {
            allow = allow == null ? List.of() : List.copyOf(allow);
        }

        /** The defaults: https only, public addresses only. */
        static OutboundCalls strict() {
            return new OutboundCalls(Duration.ofSeconds(3), Duration.ofSeconds(10), 65536, false, List.of(), 64, 8);
        }
    }

    /**
     * Rate limits of integrations (API tokens, and JWT callers with the {@code integration} role).
     * Each limit is written {@code <rate>/<period>} with an optional {@code burst <n>}.
     *
     * @param enabled off: no request is charged (and no bucket row written)
     * @param token every request of one token (or one integration account)
     * @param endpoint each endpoint (method and route) of one token, unless {@code endpoints} names it
     * @param endpoints endpoints with their own limit, e.g. {@code POST /api/v1/conversations/{id}/messages}
     * @param conversation a bot's posts (messages and cards) into one conversation, like Slack's one
     *     message per second per channel with short bursts
     * @param incomingWebhook the posts of one incoming webhook (whoever sends them)
     * @param command one member's slash commands to one bot, so that nobody can make Chorus hammer
     *     a bot's endpoint
     * @param cleanupInterval how often bucket rows that would be full again are deleted
     * @param cleanupBatch rows deleted per statement of a cleanup
     */
    record RateLimits(@DefaultValue("true") boolean enabled, @DefaultValue("600/1m") @NotNull Limit token,
            @DefaultValue("300/1m") @NotNull Limit endpoint, @DefaultValue @Valid List<EndpointLimit> endpoints,
            @DefaultValue("1/1s burst 20") @NotNull Limit conversation,
            @DefaultValue("60/1m burst 20") @NotNull Limit incomingWebhook,
            @DefaultValue("30/1m burst 10") @NotNull Limit command, @DefaultValue("5m") Duration cleanupInterval,
            @DefaultValue("1000") @Positive int cleanupBatch) {

        /** @param endpoint method and route as the API documents it: {@code GET /api/v1/org/users/{id}} */
        record EndpointLimit(@NotBlank String endpoint, @NotNull Limit limit) {
        }

        /** The limit of an endpoint, given as {@link RateLimitInterceptor#endpoint} writes it. */
        Limit endpoint(String normalisedEndpoint) {
            Optional<Limit> own = endpoints.stream()
                    .filter(override -> RateLimitInterceptor.normalise(override.endpoint()).equals(normalisedEndpoint))
                    .map(EndpointLimit::limit)
                    .findFirst();
            return own.orElse(endpoint);
        }
    }

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
    record Webhooks(@DefaultValue("true") boolean scheduled, @DefaultValue("2s") Duration pollInterval,
            @Min(1) @Max(256) @DefaultValue("16") int concurrency, @DefaultValue("30s") Duration leaseMargin,
            @DefaultValue("5m") Duration backoffBase, @DefaultValue("10h") Duration backoffMax,
            @Min(1) @Max(30) @DefaultValue("10") int maxAttempts,
            @Min(1) @Max(30) @DefaultValue("3") int clientErrorAttempts,
            @DefaultValue("24h") Duration secretOverlap, @DefaultValue("5s") Duration indexTtl,
            @DefaultValue("30d") Duration retention, @DefaultValue("1h") Duration retentionInterval,
            @Min(1) @DefaultValue("20") int maxSubscriptions, @Min(1) @DefaultValue("500") int maxConversations,
            @Min(1) @DefaultValue("1000") int maxReplay) {
    }

    /**
     * Slash commands and card actions (see {@link CommandRegistry}).
     *
     * @param deadline how long a member waits for a bot's answer to a command or a card action
     *     before being told it did not come; the bot may still answer a command later
     * @param responseUrlLifetime how long a command's response URL stays valid
     * @param responseUrlUses how many answers one response URL takes
     * @param secretOverlap how long a rotated signing secret keeps signing beside its successor,
     *     so the bot can switch to the new one without refusing requests in between
     * @param maxCommandsPerBot how many commands one bot may register
     * @param publicBaseUrl where bots reach Chorus ({@code https://chorus.example.com}): response
     *     URLs begin with it. Configured, never taken from a request, whose Host header the member
     *     chooses; the default suits the local instance only.
     */
    record Commands(@DefaultValue("3s") Duration deadline, @DefaultValue("30m") Duration responseUrlLifetime,
            @Min(1) @Max(100) @DefaultValue("5") int responseUrlUses, @DefaultValue("24h") Duration secretOverlap,
            @Min(1) @Max(1000) @DefaultValue("50") int maxCommandsPerBot,
            @DefaultValue("http://localhost:8080") java.net.URI publicBaseUrl) {
    }
}
