package io.chorus.chat;

public enum ConversationKind {
    /** Exactly one per pair of users, created on first use; no roles, no management. */
    DIRECT,
    /** A named project group with an owner, admins and members. */
    GROUP
}
