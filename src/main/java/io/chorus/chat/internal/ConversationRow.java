package io.chorus.chat.internal;

import io.chorus.chat.ConversationKind;
import java.time.Instant;
import java.util.UUID;

/** A conversation as stored. */
public record ConversationRow(UUID id, ConversationKind kind, String name, String directKey, boolean archived,
        UUID createdBy, Instant createdAt, long lastSeq, Instant lastActivityAt, int memberCount) {

    /** The other participant of a direct chat, as seen by {@code viewer}. */
    public UUID peerOf(UUID viewer) {
        if (directKey == null) {
            return null;
        }
        String[] pair = directKey.split(":");
        UUID first = UUID.fromString(pair[0]);
        return first.equals(viewer) ? UUID.fromString(pair[1]) : first;
    }

    public static String directKey(UUID one, UUID other) {
        return one.compareTo(other) < 0 ? one + ":" + other : other + ":" + one;
    }
}
