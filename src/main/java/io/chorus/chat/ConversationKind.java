package io.chorus.chat;

public enum ConversationKind {
    /** Exactly one per pair of users, created on first use; no roles, no management. */
    DIRECT,
    /** A named project group with an owner, admins and members. */
    GROUP,
    /**
     * A department's group: its members follow the org chart (optionally with sub-departments),
     * the department's heads are its admins, and nobody adds or removes members by hand.
     */
    DEPARTMENT;

    /** Groups of either kind have names, roles and @all; direct chats have none of these. */
    public boolean isGroup() {
        return this != DIRECT;
    }
}
