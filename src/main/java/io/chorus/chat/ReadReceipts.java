package io.chorus.chat;

import java.util.List;
import java.util.UUID;

/** Who of the other members has read a message and who has not yet. */
public record ReadReceipts(long messageId, long seq, List<UUID> readBy, List<UUID> unreadBy) {
}
