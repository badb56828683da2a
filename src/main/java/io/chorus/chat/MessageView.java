package io.chorus.chat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message as members see it. A recalled message keeps its place in the sequence with
 * {@code recalled} set and no text; compliance keeps the text elsewhere. A purged message
 * (its retention period ran out) keeps its place with {@code purged} set and no text; its
 * content is gone for everyone. {@code version} grows with every change, so a client applying
 * the same state twice can tell. A {@code CARD} message carries its {@link Card} and, as
 * {@code text}, the card's plain-text summary for clients that show no cards; a recalled or
 * purged card shows neither.
 */
public record MessageView(
        long id,
        UUID conversationId,
        long seq,
        UUID senderId,
        String clientMessageId,
        String text,
        MessageKind kind,
        Card card,
        ReplyPreview replyTo,
        List<UUID> mentions,
        boolean mentionsAll,
        List<ReactionView> reactions,
        Instant createdAt,
        Instant editedAt,
        boolean recalled,
        Instant recalledAt,
        boolean purged,
        int version) {

    /** The quoted message of a reply; {@code text} is absent when that message was recalled or purged. */
    public record ReplyPreview(long id, long seq, UUID senderId, String text) {
    }

    public record ReactionView(String emoji, List<UUID> userIds) {
    }
}
