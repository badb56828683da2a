package io.chorus.chat;

import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.Set;

/**
 * Which messages an eDiscovery export wants: those of {@code conversationIds} or sent by
 * {@code senderIds} (at least one of the two), sent in {@code from <= sentAt < to} (either end
 * open). {@code onlySenders}, when not null, keeps only messages of those senders: the reach
 * of a compliance officer limited to departments.
 */
public record ArchiveQuery(Set<ConversationId> conversationIds, Set<UserId> senderIds, Instant from, Instant to,
        Set<UserId> onlySenders) {

    public ArchiveQuery {
        conversationIds = conversationIds == null ? Set.of() : Set.copyOf(conversationIds);
        senderIds = senderIds == null ? Set.of() : Set.copyOf(senderIds);
        onlySenders = onlySenders == null ? null : Set.copyOf(onlySenders);
        if (conversationIds.isEmpty() && senderIds.isEmpty()) {
            throw new IllegalArgumentException("An archive query names conversations or senders.");
        }
    }
}
