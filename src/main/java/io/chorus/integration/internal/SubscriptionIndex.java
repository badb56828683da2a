package io.chorus.integration.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.chorus.identity.IdentityEvents;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.integration.EventType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Every enabled subscription of an active owner, in memory, by what it listens to: the message hot path asks it
 * whether anything at all wants a message, and writes nothing when nothing does. A local change
 * refreshes it after commit; another node's change arrives within {@code index-ttl} (5 s by
 * default), when this node reads the table again.
 */
@Component
class SubscriptionIndex {

    /** Who an event may go to: the subscription and the principal whose rights bound it. */
    record Target(UUID subscriptionId, UUID ownerId, String ownerUsername) {
    }

    /** @param generation the count of local changes when it was read: an older one is read again */
    record Snapshot(long generation, Map<UUID, List<Target>> messagesByConversation,
            Map<EventType, List<Target>> byType) {

        List<Target> of(EventType type) {
            return byType.getOrDefault(type, List.of());
        }

        List<Target> messagesIn(UUID conversation) {
            return messagesByConversation.getOrDefault(conversation, List.of());
        }
    }

    private final SubscriptionStore store;
    private final UserDirectory users;
    private final LoadingCache<Boolean, Snapshot> cache;
    /**
     * Counts local changes. Invalidating the cache does not stop a load already under way (one
     * that read the table before the change committed) from storing what it read; a snapshot
     * older than the latest change is therefore read again.
     */
    private final AtomicLong generation = new AtomicLong();

    SubscriptionIndex(SubscriptionStore store, UserDirectory users, IntegrationProperties properties) {
        this.store = store;
        this.users = users;
        this.cache = Caffeine.newBuilder().expireAfterWrite(properties.webhooks().indexTtl()).build(key -> load());
    }

    Snapshot current() {
        Snapshot snapshot = cache.get(Boolean.TRUE);
        while (snapshot.generation() != generation.get()) {
            cache.asMap().remove(Boolean.TRUE, snapshot);
            snapshot = cache.get(Boolean.TRUE);
        }
        return snapshot;
    }

    /** After the current transaction commits (at once outside one): its change must not be missed for a TTL. */
    void changed() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    generation.incrementAndGet();
                    cache.invalidateAll();
                }
            });
        } else {
            generation.incrementAndGet();
            cache.invalidateAll();
        }
    }

    /** A deactivated owner drops out of this node's index at once (other nodes' within their TTL). */
    @EventListener
    void on(IdentityEvents.UserDeactivated deactivated) {
        changed();
    }

    /** And comes back as soon when reactivated. */
    @EventListener
    void on(IdentityEvents.UserReactivated reactivated) {
        changed();
    }

    private Snapshot load() {
        // Read before the table: a change committing meanwhile makes this snapshot outdated at once.
        long readAt = generation.get();
        List<SubscriptionStore.Row> rows = store.enabled();
        if (rows.isEmpty()) {
            return new Snapshot(readAt, Map.of(), Map.of());
        }
        Map<UserId, UserProfile> owners = users.findAll(rows.stream().map(row -> UserId.of(row.ownerId()))
                .distinct().toList());
        Map<UUID, List<Target>> byConversation = new HashMap<>();
        Map<EventType, List<Target>> byType = new EnumMap<>(EventType.class);
        for (SubscriptionStore.Row row : rows) {
            UserProfile owner = owners.get(UserId.of(row.ownerId()));
            // A deactivated account (a service account switched off in Keycloak, a departed
            // employee's) receives nothing more; the worker cancels what already waits for it.
            if (owner == null || !owner.active()) {
                continue;
            }
            Target target = new Target(row.id(), row.ownerId(), owner.username());
            for (String value : row.eventTypes()) {
                EventType type = EventType.of(value).orElse(null);
                if (type == EventType.MESSAGE_POSTED) {
                    row.conversationIds().forEach(conversation ->
                            byConversation.computeIfAbsent(conversation, c -> new ArrayList<>()).add(target));
                } else if (type != null) {
                    byType.computeIfAbsent(type, t -> new ArrayList<>()).add(target);
                }
            }
        }
        return new Snapshot(readAt, Map.copyOf(byConversation), byType);
    }
}
