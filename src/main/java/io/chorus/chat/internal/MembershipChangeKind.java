package io.chorus.chat.internal;

/**
 * What happened to a member, as {@code chat.membership_change.change} stores it: the names are
 * the stored values (the column's CHECK constraint lists the same four).
 */
public enum MembershipChangeKind {
    JOINED, LEFT, REMOVED, ROLE_CHANGED;

    /** Whether the user is no longer a member after this change. */
    public boolean endsMembership() {
        return this == LEFT || this == REMOVED;
    }
}
