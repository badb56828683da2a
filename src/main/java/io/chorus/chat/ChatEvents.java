package io.chorus.chat;

import io.chorus.chat.internal.MentionedNames;
import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.UUID;

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

        /** Whether the text names {@code username} as a mention ({@code @username}), read as chat reads mentions. */
        public boolean mentions(String username) {
            return text.indexOf('@') >= 0 && MentionedNames.parse(text).usernames().contains(username);
        }
    }

    public record MessageEdited(ConversationId conversationId, long messageId, long seq, UserId editor,
            String oldText, String newText, int version, Instant at) {
    }

    public record MessageRecalled(ConversationId conversationId, long messageId, long seq, UserId by, int version,
            Instant at) {
    }

    /**
     * The message retention period changed: the global default when {@code conversationId} is
     * null, else one conversation's override. A null period (in days) keeps messages forever;
     * for an override, a null new period means "follow the global default" again.
     */
    public record RetentionPolicyChanged(ConversationId conversationId, Integer oldDays, Integer newDays, UserId by,
            Instant at) {
    }

    /**
     * The retention job erased the content of {@code count} expired messages of one
     * conversation, all with seqs in {@code fromSeq..toSeq} and sent before {@code cutoff}.
     * Held messages in that range were kept.
     */
    public record MessagesPurged(ConversationId conversationId, long fromSeq, long toSeq, int count, Instant cutoff,
            Instant at) {
    }

    /** What a legal hold covers: everything a user sent, or everything in a conversation. */
    public enum HoldSubject {
        USER, CONVERSATION
    }

    /**
     * A compliance officer put messages of a user or a conversation, sent between {@code from}
     * and {@code to} (either open), on hold: they survive retention purges until released.
     */
    public record LegalHoldPlaced(UUID holdId, HoldSubject subjectType, UUID subjectId, Instant from, Instant to,
            String reason, UserId by, Instant at) {
    }

    public record LegalHoldReleased(UUID holdId, HoldSubject subjectType, UUID subjectId, UserId by, Instant at) {
    }

    /** A STOMP session was opened (after its CONNECT was authenticated) from {@code remoteAddress}. */
    public record SessionConnected(String sessionId, UserId userId, String remoteAddress, Instant at) {
    }

    public record SessionDisconnected(String sessionId, UserId userId, Instant at) {
    }

    /** A STOMP frame (SUBSCRIBE, SEND) was refused for want of permission; the session is closed. */
    public record StompFrameDenied(String sessionId, UserId userId, String command, String destination, String code,
            Instant at) {
    }
}
