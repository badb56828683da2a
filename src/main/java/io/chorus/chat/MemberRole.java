package io.chorus.chat;

public enum MemberRole {
    OWNER, ADMIN, MEMBER;

    /** Owners and admins manage members, recall anyone's message and mention @all. */
    public boolean manages() {
        return this != MEMBER;
    }
}
