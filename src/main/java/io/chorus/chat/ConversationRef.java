package io.chorus.chat;

/** Just which conversation: its id, kind and name (null for a direct chat). */
public record ConversationRef(ConversationId id, ConversationKind kind, String name) {
}
