package io.chorus.integration;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An integration's outgoing webhooks: the events it subscribed an HTTPS endpoint to, and the log
 * of every delivery. The owner is the calling principal (a bot, or a Keycloak service account);
 * nobody sees or changes another owner's subscriptions (404). Deliveries are signed the Standard
 * Webhooks way, at least once, retried with backoff for about a day.
 */
public interface Subscriptions {

    /** Who manages: the principal's id and the scopes its token or service account holds now. */
    record Owner(UUID id, Set<String> scopes) {

        public Owner {
            scopes = Set.copyOf(scopes);
        }
    }

    record Subscription(UUID id, UUID ownerId, String url, List<String> eventTypes, List<UUID> conversationIds,
            String description, boolean enabled, String disabledReason, Instant previousSecretValidUntil,
            Instant createdAt, Instant updatedAt) {
    }

    /** A subscription just made, or a secret just rotated: {@code secret} is shown this once. */
    record WithSecret(Subscription subscription, String secret) {
    }

    record NewSubscription(String url, List<String> eventTypes, List<UUID> conversationIds, String description) {
    }

    /** Null fields stay as they are. */
    record SubscriptionChange(String url, List<String> eventTypes, List<UUID> conversationIds, String description,
            Boolean enabled) {
    }

    enum Status {
        PENDING, SUCCEEDED, FAILED, CANCELLED
    }

    record Delivery(UUID id, UUID subscriptionId, UUID eventId, String eventType, Status status, int attempts,
            Integer lastStatusCode, Long lastLatencyMs, String lastError, Instant createdAt, Instant nextAttemptAt,
            Instant deliveredAt, UUID replayOf) {
    }

    record Attempt(int attempt, Instant startedAt, int statusCode, long latencyMs, String error, String response) {
    }

    /** One delivery with what it sent (the payload, as JSON) and every attempt. */
    record DeliveryDetail(Delivery delivery, String payload, List<Attempt> attempts) {
    }

    /** @param next the cursor of the following page, null on the last */
    record DeliveryPage(List<Delivery> items, String next) {
    }

    WithSecret create(Owner owner, NewSubscription subscription);

    List<Subscription> list(Owner owner);

    Subscription get(Owner owner, UUID id);

    Subscription change(Owner owner, UUID id, SubscriptionChange change);

    void delete(Owner owner, UUID id);

    /** A new secret; the previous one keeps signing beside it for the configured overlap. */
    WithSecret rotateSecret(Owner owner, UUID id);

    /** Newest first. @param status null: every status */
    DeliveryPage deliveries(Owner owner, UUID id, Status status, String cursor, int limit);

    DeliveryDetail delivery(Owner owner, UUID id, UUID deliveryId);

    /** A new delivery (new id) of the same payload, due now. */
    Delivery replay(Owner owner, UUID id, UUID deliveryId);

    /**
     * Replays every delivery first made in {@code [from, to)} (replays of them are not replayed
     * again); refused when there are more than the configured bound. Returns how many.
     */
    int replay(Owner owner, UUID id, Instant from, Instant to);
}
