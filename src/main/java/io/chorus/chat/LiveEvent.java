package io.chorus.chat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/**
 * What a member's sessions receive on {@code /user/queue/events}. Every event names its
 * {@code type}; message events carry the full message with its {@code version}, so a client
 * applies them idempotently, and {@code seq} lets it spot a gap and catch up over REST.
 */
public sealed interface LiveEvent {

    @JsonProperty("type")
    String type();

    record MessagePosted(UUID conversationId, MessageView message) implements LiveEvent {
        @Override
        public String type() {
            return "message.posted";
        }
    }

    /** An edit, a recall or a reaction: the message's new state. */
    record MessageUpdated(UUID conversationId, MessageView message) implements LiveEvent {
        @Override
        public String type() {
            return "message.updated";
        }
    }

    record MemberAdded(UUID conversationId, UUID userId, MemberRole role) implements LiveEvent {
        @Override
        public String type() {
            return "member.added";
        }
    }

    /** Sent to the remaining members and to the one removed; after it, the removed user receives nothing more of this conversation. */
    record MemberRemoved(UUID conversationId, UUID userId) implements LiveEvent {
        @Override
        public String type() {
            return "member.removed";
        }
    }

    record MemberRoleChanged(UUID conversationId, UUID userId, MemberRole role) implements LiveEvent {
        @Override
        public String type() {
            return "member.role_changed";
        }
    }

    record ConversationUpdated(UUID conversationId, String name, boolean archived) implements LiveEvent {
        @Override
        public String type() {
            return "conversation.updated";
        }
    }

    record ReadUpdated(UUID conversationId, UUID userId, long readSeq) implements LiveEvent {
        @Override
        public String type() {
            return "read.updated";
        }
    }

    record Typing(UUID conversationId, UUID userId) implements LiveEvent {
        @Override
        public String type() {
            return "typing";
        }
    }

    /**
     * A bot's answer to a slash command that only the member who typed it sees: shown in the
     * conversation, never stored, gone after a reload. {@code text}, {@code card} or both.
     */
    record CommandResponse(UUID conversationId, UUID botId, String command, String text, Card card)
            implements LiveEvent {
        @Override
        public String type() {
            return "command.response";
        }
    }

    record PresenceChanged(UUID userId, boolean online) implements LiveEvent {
        @Override
        public String type() {
            return "presence";
        }
    }
}
