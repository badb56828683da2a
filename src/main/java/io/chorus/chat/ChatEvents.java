package io.chorus.chat;

import io.chorus.identity.UserId;
import java.time.Instant;

/**
 * What chat tells other modules (audit, search, integrations). Published in the transaction
 * that made the change and kept in the event publication registry until every listener in
 * another module has handled it.
 */
public final class ChatEvents {

    private ChatEvents() {
    }

    public record ConversationCreated(ConversationId conversationId, ConversationKind kind, String name,
            UserId createdBy, Instant at) {
    }

    public record ConversationRenamed(ConversationId conversationId, String oldName, String newName, UserId by,
            Instant at) {
    }

    public record ConversationArchived(ConversationId conversationId, UserId by, Instant at) {
    }

    public record MemberAdded(ConversationId conversationId, UserId userId, MemberRole role, UserId by, Instant at) {
    }

    public record MemberRemoved(ConversationId conversationId, UserId userId, UserId by, Instant at) {
    }

    public record MessagePosted(ConversationId conversationId, long messageId, long seq, UserId sender, String text,
            Instant at) {
    }

    public record MessageEdited(ConversationId conversationId, long messageId, long seq, UserId editor,
            String oldText, String newText, int version, Instant at) {
    }

    public record MessageRecalled(ConversationId conversationId, long messageId, long seq, UserId by, int version,
            Instant at) {
    }
}
