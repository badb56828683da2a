package io.chorus.integration.internal;

import io.chorus.integration.internal.IntegrationLimits.Limit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

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
@ConfigurationProperties("chorus.integration.limits")
@Validated
record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("600/1m") @NotNull Limit token,
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
