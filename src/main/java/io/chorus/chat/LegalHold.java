package io.chorus.chat;

import io.chorus.chat.ChatEvents.HoldSubject;
import java.time.Instant;
import java.util.UUID;

/**
 * A legal hold: messages of a user (everything they sent) or of a conversation, sent between
 * {@code from} and {@code to} (either open), survive retention purges while it is active.
 */
public record LegalHold(
        UUID id,
        HoldSubject subjectType,
        UUID subjectId,
        Instant from,
        Instant to,
        String reason,
        UUID placedBy,
        Instant placedAt,
        boolean active,
        UUID releasedBy,
        Instant releasedAt) {
}
