package io.chorus.chat;

import java.time.Instant;
import java.util.UUID;

/** A conversation as one member sees it, with their own read state. */
public record ConversationView(
        UUID id,
        ConversationKind kind,
        String name,
        UUID peerId,
        boolean archived,
        MemberRole myRole,
        long lastSeq,
        long readSeq,
        long unreadCount,
        int memberCount,
        Instant createdAt,
        Instant lastActivityAt) {
}
