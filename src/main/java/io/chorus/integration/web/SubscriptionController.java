package io.chorus.integration.web;

import io.chorus.platform.ShownOnce;
import io.chorus.identity.CurrentUser;
import io.chorus.integration.Subscriptions;
import io.chorus.integration.Subscriptions.Owner;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An integration's own outgoing webhooks: a bot's token or a Keycloak service account holding
 * {@code webhooks:manage}. What the subscriptions may carry is bounded by the caller's other
 * scopes at the time it subscribes.
 */
@RestController
@RequestMapping("/api/v1/integration/subscriptions")
@PreAuthorize("hasAuthority('SCOPE_webhooks:manage')")
class SubscriptionController {

    private final Subscriptions subscriptions;
    private final JsonMapper json;

    SubscriptionController(Subscriptions subscriptions, JsonMapper json) {
        this.subscriptions = subscriptions;
        this.json = json;
    }

    record NewSubscriptionRequest(String url, List<String> eventTypes, List<UUID> conversationIds,
            String description) {
    }

    /** Null fields stay as they are. */
    record SubscriptionChangeRequest(String url, List<String> eventTypes, List<UUID> conversationIds,
            String description, Boolean enabled) {
    }

    record ReplayRangeRequest(Instant from, Instant to) {
    }

    record SubscriptionBody(UUID id, String url, List<String> eventTypes, List<UUID> conversationIds,
            String description, boolean enabled, String disabledReason, Instant previousSecretValidUntil,
            Instant createdAt, Instant updatedAt) {
    }

    /** The signing secret is in this response and nowhere else, ever. */
    record SecretBody(String secret, SubscriptionBody subscription) {
    }

    record SubscriptionList(List<SubscriptionBody> items) {
    }

    record DeliveryBody(UUID id, UUID eventId, String eventType, String status, int attempts, Integer lastStatusCode,
            Long lastLatencyMs, String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt,
            UUID replayOf) {
    }

    record DeliveryPageBody(List<DeliveryBody> items, String next) {
    }

    record AttemptBody(int attempt, Instant startedAt, int statusCode, long latencyMs, String error,
            String response) {
    }

    record DeliveryDetailBody(DeliveryBody delivery, JsonNode payload, List<AttemptBody> attempts) {
    }

    record ReplayedBody(int replayed) {
    }

    @ShownOnce
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    SecretBody create(Authentication caller, @RequestBody NewSubscriptionRequest request) {
        return secret(subscriptions.create(owner(caller), new Subscriptions.NewSubscription(request.url(),
                request.eventTypes(), request.conversationIds(), request.description())));
    }

    @GetMapping
    SubscriptionList list(Authentication caller) {
        return new SubscriptionList(subscriptions.list(owner(caller)).stream().map(SubscriptionController::body)
                .toList());
    }

    @GetMapping("/{id}")
    SubscriptionBody get(Authentication caller, @PathVariable UUID id) {
        return body(subscriptions.get(owner(caller), id));
    }

    @PatchMapping("/{id}")
    SubscriptionBody change(Authentication caller, @PathVariable UUID id,
            @RequestBody SubscriptionChangeRequest request) {
        return body(subscriptions.change(owner(caller), id, new Subscriptions.SubscriptionChange(request.url(),
                request.eventTypes(), request.conversationIds(), request.description(), request.enabled())));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Authentication caller, @PathVariable UUID id) {
        subscriptions.delete(owner(caller), id);
    }

    @ShownOnce
    @PostMapping("/{id}/secret/rotate")
    SecretBody rotate(Authentication caller, @PathVariable UUID id) {
        return secret(subscriptions.rotateSecret(owner(caller), id));
    }

    @GetMapping("/{id}/deliveries")
    DeliveryPageBody deliveries(Authentication caller, @PathVariable UUID id,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) Subscriptions.Status status) {
        Subscriptions.DeliveryPage page = subscriptions.deliveries(owner(caller), id, status, cursor, limit);
        return new DeliveryPageBody(page.items().stream().map(SubscriptionController::delivery).toList(), page.next());
    }

    @GetMapping("/{id}/deliveries/{deliveryId}")
    DeliveryDetailBody delivery(Authentication caller, @PathVariable UUID id, @PathVariable UUID deliveryId) {
        Subscriptions.DeliveryDetail detail = subscriptions.delivery(owner(caller), id, deliveryId);
        return new DeliveryDetailBody(delivery(detail.delivery()), json.readTree(detail.payload()),
                detail.attempts().stream().map(attempt -> new AttemptBody(attempt.attempt(), attempt.startedAt(),
                        attempt.statusCode(), attempt.latencyMs(), attempt.error(), attempt.response())).toList());
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/replay")
    @ResponseStatus(HttpStatus.CREATED)
    DeliveryBody replay(Authentication caller, @PathVariable UUID id, @PathVariable UUID deliveryId) {
        return delivery(subscriptions.replay(owner(caller), id, deliveryId));
    }

    @PostMapping("/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ReplayedBody replayRange(Authentication caller, @PathVariable UUID id, @RequestBody ReplayRangeRequest request) {
        return new ReplayedBody(subscriptions.replay(owner(caller), id, request.from(), request.to()));
    }

    /** The principal owns what it makes; its scopes are what its token or service account holds now. */
    private static Owner owner(Authentication caller) {
        CurrentUser me = (CurrentUser) caller.getPrincipal();
        Set<String> scopes = caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith("SCOPE_")).map(authority -> authority.substring(6))
                .collect(Collectors.toSet());
        return new Owner(me.id().value(), scopes);
    }

    private static SecretBody secret(Subscriptions.WithSecret made) {
        return new SecretBody(made.secret(), body(made.subscription()));
    }

    private static SubscriptionBody body(Subscriptions.Subscription s) {
        return new SubscriptionBody(s.id(), s.url(), s.eventTypes(), s.conversationIds(), s.description(),
                s.enabled(), s.disabledReason(), s.previousSecretValidUntil(), s.createdAt(), s.updatedAt());
    }

    private static DeliveryBody delivery(Subscriptions.Delivery d) {
        return new DeliveryBody(d.id(), d.eventId(), d.eventType(), d.status().name(), d.attempts(),
                d.lastStatusCode(), d.lastLatencyMs(), d.lastError(), d.createdAt(), d.nextAttemptAt(),
                d.deliveredAt(), d.replayOf());
    }
}
