package io.chorus.chat;

import java.util.List;

/** Messages in ascending seq order, and whether more lie beyond the page in the direction asked. */
public record MessagePage(List<MessageView> items, boolean hasMore, long lastSeq) {
}
