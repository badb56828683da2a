package io.chorus.integration;

import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What happens to bots, their tokens, incoming webhooks, slash commands and outgoing webhook
 * subscriptions; the audit trail records every one. None carries a secret.
 */
public final class IntegrationEvents {

    private IntegrationEvents() {
    }

    public record BotCreated(UUID botId, String key, String displayName, UserId owner, UserId by, Instant at) {
    }

    /** Name, avatar, owner or switched on/off; the fields carry the bot as it is now. */
    public record BotChanged(UUID botId, String displayName, String avatarUrl, UserId owner, boolean disabled,
            UserId by, Instant at) {
    }

    /** Never carries the token itself: only its id and first characters. */
    public record TokenIssued(UUID tokenId, UUID botId, String name, String hint, List<String> scopes,
            Instant expiresAt, UUID rotatedFrom, UserId by, Instant at) {
    }

    public record TokenRevoked(UUID tokenId, UUID botId, UserId by, Instant at) {
    }

    /** A group's owner or admin made an incoming webhook that posts as {@code botId}. Never carries a secret. */
    public record IncomingWebhookCreated(UUID hookId, UUID conversationId, UUID botId, String name, UserId by,
            Instant at) {
    }

    /** New URL and signing secret; the previous ones work until {@code previousValidUntil}. */
    public record IncomingWebhookRotated(UUID hookId, UUID conversationId, Instant previousValidUntil, UserId by,
            Instant at) {
    }

    /** Revoked at once: its bot has left the conversation and nothing is accepted at its URL any more. */
    public record IncomingWebhookDeleted(UUID hookId, UUID conversationId, UUID botId, UserId by, Instant at) {
    }

    /**
     * A bot registered or changed a slash command, or its interactivity endpoint ({@code name}
     * null). Never carries the signing secret: only whether a new one was issued.
     */
    public record CommandRegistered(UUID botId, String name, String url, boolean created, boolean secretIssued,
            UserId by, Instant at) {
    }

    /** A bot removed a slash command, or its interactivity endpoint ({@code name} null). */
    public record CommandUnregistered(UUID botId, String name, UserId by, Instant at) {
    }

    /**
     * An integration ({@code ownerId}, who also made it) subscribed an endpoint to events. Never
     * carries the signing secret.
     */
    public record SubscriptionCreated(UUID subscriptionId, UUID ownerId, String url, List<String> eventTypes,
            List<UUID> conversationIds, String description, Instant at) {
    }

    /**
     * A subscription as it is after a change: by its owner ({@code by}), or switched off by Chorus
     * because its endpoint answered 410 Gone ({@code by} null, the reason in {@code disabledReason}).
     * {@code wasEnabled} tells a switch on or off from any other change.
     */
    public record SubscriptionChanged(UUID subscriptionId, UUID ownerId, String url, List<String> eventTypes,
            List<UUID> conversationIds, String description, boolean enabled, boolean wasEnabled,
            String disabledReason, UserId by, Instant at) {
    }

    public record SubscriptionDeleted(UUID subscriptionId, UUID ownerId, String url, UserId by, Instant at) {
    }

    /** A new signing secret; the previous one keeps signing until {@code previousValidUntil}. Never carries either. */
    public record SubscriptionSecretRotated(UUID subscriptionId, UUID ownerId, Instant previousValidUntil, UserId by,
            Instant at) {
    }

    /**
     * The owner asked for deliveries again: one ({@code deliveryId}, replayed as {@code replayId})
     * or every delivery first made in {@code [from, to)} ({@code count} of them).
     */
    public record SubscriptionReplayRequested(UUID subscriptionId, UUID ownerId, UUID deliveryId, UUID replayId,
            Instant from, Instant to, int count, UserId by, Instant at) {
    }
}
