package io.chorus.chat;

/** The stored message, and whether it was already there from an earlier attempt of the same send. */
public record SendResult(MessageView message, boolean duplicate) {
}
