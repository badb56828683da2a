package io.chorus.search.internal.engine;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A message as the search index holds it: the current text, every earlier text (for
 * compliance), and what filters need. {@code version} is chat's message version, which every
 * edit, recall and purge raises: an engine never replaces a document with an older version.
 * A purged message is kept as a tombstone without text, so a late older write cannot revive it.
 */
public record IndexedMessage(long messageId, UUID conversationId, long seq, UUID senderId, Instant sentAt,
        String text, List<String> earlierTexts, Set<UUID> mentions, boolean mentionsAll, boolean edited,
        boolean recalled, boolean purged, long version) {

    public IndexedMessage {
        earlierTexts = List.copyOf(earlierTexts);
        mentions = Set.copyOf(mentions);
    }
}
