package io.chorus.chat;

/** What a message holds: text a member wrote, or a {@link Card} another module posted. */
public enum MessageKind {
    TEXT, CARD
}
