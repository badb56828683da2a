package io.chorus.integration.internal;

import io.chorus.identity.UserId;
import io.chorus.integration.EventType;
import io.chorus.integration.IntegrationEvents;
import io.chorus.integration.IntegrationProblems;
import io.chorus.integration.Subscriptions;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@link Subscriptions}: the rules for URLs, event types and the scopes they need, and the log.
 * Everything is scoped to the owner; another owner's subscription is simply not found. Every
 * change is published (for the audit trail) in its transaction, never with a secret.
 */
@Service
class SubscriptionRegistry implements Subscriptions {

    private static final int MAX_URL = 2000;
    private static final int MAX_DESCRIPTION = 200;
    private static final int MAX_PAGE = 100;

    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final SubscriptionIndex index;
    private final IntegrationProperties.Webhooks properties;
    private final IntegrationProperties.OutboundCalls outbound;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SubscriptionRegistry(SubscriptionStore subscriptions, DeliveryStore deliveries, SubscriptionIndex index,
            IntegrationProperties properties, ApplicationEventPublisher events, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.index = index;
        this.properties = properties.webhooks();
        this.outbound = properties.outbound();
        this.events = events;
        this.clock = clock;
    }

    @Override
    @Transactional
    public WithSecret create(Owner owner, NewSubscription command) {
        String url = url(command.url());
        List<String> types = eventTypes(owner, command.eventTypes());
        List<UUID> conversations = conversations(types, command.conversationIds());
        String description = description(command.description());
        if (subscriptions.count(owner.id()) >= properties.maxSubscriptions()) {
            throw ChorusProblem.unprocessable(IntegrationProblems.TOO_MANY_SUBSCRIPTIONS,
                    "An integration may have at most " + properties.maxSubscriptions() + " subscriptions.");
        }
        Instant now = clock.instant();
        String secret = WebhookSignatures.newSecret();
        SubscriptionStore.Row row = new SubscriptionStore.Row(UUID.randomUUID(), owner.id(), url, types, conversations,
                description, secret, null, null, true, null, now, now);
        subscriptions.insert(row);
        index.changed();
        events.publishEvent(new IntegrationEvents.SubscriptionCreated(row.id(), owner.id(), url, types, conversations,
                description, now));
        return new WithSecret(row.view(now), secret);
    }

    @Override
    @Transactional(readOnly = true)
    public List<Subscription> list(Owner owner) {
        Instant now = clock.instant();
        return subscriptions.list(owner.id()).stream().map(row -> row.view(now)).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Subscription get(Owner owner, UUID id) {
        return mine(owner, id).view(clock.instant());
    }

    @Override
    @Transactional
    public Subscription change(Owner owner, UUID id, SubscriptionChange change) {
        SubscriptionStore.Row row = subscriptions.findForUpdate(owner.id(), id).orElseThrow(SubscriptionRegistry::notFound);
        String url = change.url() == null ? row.url() : url(change.url());
        // The scopes are checked again for the whole new set: a token that lost messages:read
        // cannot keep message events by changing something else.
        // A new URL sends what the subscription carries somewhere else: it needs the same scopes,
        // or a token with webhooks:manage alone could redirect a message subscription to itself.
        List<String> types = change.eventTypes() == null ? row.eventTypes() : eventTypes(owner, change.eventTypes());
        if (change.eventTypes() == null && (change.conversationIds() != null || !url.equals(row.url()))) {
            eventTypes(owner, types);
        }
        List<UUID> conversations = conversations(types,
                change.conversationIds() == null ? row.conversationIds() : change.conversationIds());
        String description = change.description() == null ? row.description() : description(change.description());
        boolean enabled = change.enabled() == null ? row.enabled() : change.enabled();
        String reason = enabled ? null : change.enabled() != null && !change.enabled() ? "disabled by its owner"
                : row.disabledReason();
        Instant now = clock.instant();
        SubscriptionStore.Row changed = new SubscriptionStore.Row(row.id(), row.ownerId(), url, types, conversations,
                description, row.secret(), row.previousSecret(), row.previousSecretUntil(), enabled, reason,
                row.createdAt(), now);
        subscriptions.update(changed);
        if (row.enabled() && !enabled) {
            deliveries.cancelPending(row.id(), "subscription disabled", now);
        }
        index.changed();
        events.publishEvent(new IntegrationEvents.SubscriptionChanged(row.id(), owner.id(), url, types, conversations,
                description, enabled, row.enabled(), reason, UserId.of(owner.id()), now));
        return changed.view(now);
    }

    @Override
    @Transactional
    public void delete(Owner owner, UUID id) {
        SubscriptionStore.Row row = mine(owner, id);
        subscriptions.delete(id);
        index.changed();
        events.publishEvent(new IntegrationEvents.SubscriptionDeleted(id, owner.id(), row.url(), UserId.of(owner.id()),
                clock.instant()));
    }

    @Override
    @Transactional
    public WithSecret rotateSecret(Owner owner, UUID id) {
        SubscriptionStore.Row row = subscriptions.findForUpdate(owner.id(), id).orElseThrow(SubscriptionRegistry::notFound);
        Instant now = clock.instant();
        String secret = WebhookSignatures.newSecret();
        Instant until = now.plus(properties.secretOverlap());
        subscriptions.rotate(row.id(), secret, row.secret(), until, now);
        SubscriptionStore.Row rotated = new SubscriptionStore.Row(row.id(), row.ownerId(), row.url(), row.eventTypes(),
                row.conversationIds(), row.description(), secret, row.secret(), until, row.enabled(),
                row.disabledReason(), row.createdAt(), now);
        events.publishEvent(new IntegrationEvents.SubscriptionSecretRotated(row.id(), owner.id(), until,
                UserId.of(owner.id()), now));
        return new WithSecret(rotated.view(now), secret);
    }

    @Override
    @Transactional(readOnly = true)
    public DeliveryPage deliveries(Owner owner, UUID id, Status status, String cursor, int limit) {
        mine(owner, id);
        int size = Math.clamp(limit, 1, MAX_PAGE);
        Cursor after = Cursor.parse(cursor);
        List<Delivery> rows = deliveries.page(id, status, after == null ? null : after.createdAt(),
                after == null ? null : after.id(), size + 1);
        List<Delivery> items = rows.stream().limit(size).toList();
        String next = rows.size() > size ? new Cursor(items.getLast().createdAt(), items.getLast().id()).format()
                : null;
        return new DeliveryPage(items, next);
    }

    @Override
    @Transactional(readOnly = true)
    public DeliveryDetail delivery(Owner owner, UUID id, UUID deliveryId) {
        readsEvents(owner, mine(owner, id));
        Delivery delivery = deliveries.find(id, deliveryId).orElseThrow(SubscriptionRegistry::noSuchDelivery);
        return new DeliveryDetail(delivery, deliveries.payload(deliveryId), deliveries.attempts(deliveryId));
    }

    @Override
    @Transactional
    public Delivery replay(Owner owner, UUID id, UUID deliveryId) {
        enabled(readsEvents(owner, mine(owner, id)));
        deliveries.find(id, deliveryId).orElseThrow(SubscriptionRegistry::noSuchDelivery);
        Instant now = clock.instant();
        Delivery replayed = deliveries.replay(id, deliveryId, now);
        events.publishEvent(new IntegrationEvents.SubscriptionReplayRequested(id, owner.id(), deliveryId,
                replayed.id(), null, null, 1, UserId.of(owner.id()), now));
        return replayed;
    }

    @Override
    @Transactional
    public int replay(Owner owner, UUID id, Instant from, Instant to) {
        enabled(readsEvents(owner, mine(owner, id)));
        if (from == null || to == null || !from.isBefore(to)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "from and to are required, from before to.");
        }
        int count = deliveries.countOriginals(id, from, to);
        if (count > properties.maxReplay()) {
            throw ChorusProblem.unprocessable(IntegrationProblems.REPLAY_RANGE_TOO_LARGE, "The range holds " + count
                    + " deliveries; replay at most " + properties.maxReplay() + " at once (narrow the range).");
        }
        Instant now = clock.instant();
        int replayed = count == 0 ? 0 : deliveries.replayRange(id, from, to, now);
        events.publishEvent(new IntegrationEvents.SubscriptionReplayRequested(id, owner.id(), null, null, from, to,
                replayed, UserId.of(owner.id()), now));
        return replayed;
    }

    private SubscriptionStore.Row mine(Owner owner, UUID id) {
        return subscriptions.find(owner.id(), id).orElseThrow(SubscriptionRegistry::notFound);
    }

    /**
     * A payload (shown, or sent again by a replay) is the event's data: reading it needs the
     * scopes subscribing needed, held now, not just {@code webhooks:manage}.
     */
    private static SubscriptionStore.Row readsEvents(Owner owner, SubscriptionStore.Row row) {
        eventTypes(owner, row.eventTypes());
        return row;
    }

    private static void enabled(SubscriptionStore.Row row) {
        if (!row.enabled()) {
            throw ChorusProblem.conflict(IntegrationProblems.SUBSCRIPTION_DISABLED,
                    "This subscription is disabled" + (row.disabledReason() == null ? "" : " (" + row.disabledReason()
                            + ")") + ": enable it before replaying.");
        }
    }

    /**
     * An absolute https URL (http only where outbound calls allow it) without credentials. Whether
     * its address may be called is decided at each delivery, when the name is resolved.
     */
    private String url(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_URL) {
            throw invalidUrl("url is required, at most " + MAX_URL + " characters.");
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw invalidUrl("url is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && outbound.allowHttp())) {
            throw invalidUrl("url must be an https URL.");
        }
        if (uri.isOpaque() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw invalidUrl("url needs a host, and no credentials or fragment.");
        }
        return uri.toString();
    }

    private static ChorusProblem invalidUrl(String detail) {
        return ChorusProblem.badRequest(IntegrationProblems.WEBHOOK_URL_INVALID, detail);
    }

    /** Known types, each allowed by a scope the owner holds; in a stable order. */
    private static List<String> eventTypes(Owner owner, List<String> values) {
        if (values == null || values.isEmpty()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "eventTypes must name at least one type.");
        }
        Set<String> types = new TreeSet<>();
        Set<String> missing = new TreeSet<>();
        for (String value : values) {
            EventType type = EventType.of(value).orElseThrow(() -> ChorusProblem.badRequest(
                    IntegrationProblems.UNKNOWN_EVENT_TYPE, "Unknown event type: " + value));
            types.add(type.value());
            if (!owner.scopes().contains(type.requires().value())) {
                missing.add(type.requires().value());
            }
        }
        if (!missing.isEmpty()) {
            throw ChorusProblem.forbidden(IntegrationProblems.EVENT_SCOPE_MISSING,
                    "These event types need the scopes " + String.join(", ", missing)
                            + ", which this token does not hold.");
        }
        return List.copyOf(types);
    }

    private List<UUID> conversations(List<String> types, List<UUID> ids) {
        // An immutable list answers contains(null) with an exception: look for nulls by hand.
        List<UUID> conversations = ids == null ? List.of() : new ArrayList<>(new LinkedHashSet<>(ids));
        if (conversations.stream().anyMatch(Objects::isNull)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "conversationIds must not contain null.");
        }
        boolean messages = types.contains(EventType.MESSAGE_POSTED.value());
        if (messages && conversations.isEmpty()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "message.posted needs conversationIds: the conversations whose messages to deliver.");
        }
        if (!messages && !conversations.isEmpty()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "conversationIds apply to message.posted only.");
        }
        if (conversations.size() > properties.maxConversations()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A subscription lists at most " + properties.maxConversations() + " conversations.");
        }
        return List.copyOf(conversations);
    }

    private static String description(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.strip().length() > MAX_DESCRIPTION) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "description is at most " + MAX_DESCRIPTION + " characters.");
        }
        return value.strip();
    }

    private static ChorusProblem notFound() {
        return ChorusProblem.notFound(IntegrationProblems.SUBSCRIPTION_NOT_FOUND, "No such subscription.");
    }

    private static ChorusProblem noSuchDelivery() {
        return ChorusProblem.notFound(IntegrationProblems.DELIVERY_NOT_FOUND, "No such delivery.");
    }

    /** Where a page of the log ends: the last delivery's creation time and id, opaque to clients. */
    private record Cursor(Instant createdAt, UUID id) {

        String format() {
            String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                        .split("\\.", 3);
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "cursor is not one this API returned.");
            }
        }
    }
}
