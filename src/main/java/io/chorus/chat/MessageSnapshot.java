package io.chorus.chat;

import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A message as it stands now, with every earlier text (oldest first), for consumers that keep
 * their own copy (the search index). {@code version} rises with every edit, recall, reaction
 * and purge, so a copy can tell which of two snapshots is newer.
 */
public record MessageSnapshot(long id, ConversationId conversationId, long seq, UserId senderId, String text,
        List<String> earlierTexts, Set<UUID> mentions, boolean mentionsAll, Instant sentAt, Instant editedAt,
        boolean recalled, boolean purged, long version) {
}
