package io.chorus.search;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One message that matched. {@code snippet} is cut from the text that matched: the current
 * text, or for a compliance search possibly an earlier one ({@code matchedIn}). {@code text}
 * and {@code earlierTexts} are whole, for compliance officers; employees' answers leave them out.
 */
public record SearchHit(long messageId, UUID conversationId, long seq, UUID senderId, Instant sentAt, boolean edited,
        boolean recalled, Snippet snippet, MatchedIn matchedIn, String text, List<String> earlierTexts) {

    public enum MatchedIn {
        CURRENT_TEXT, EARLIER_TEXT
    }
}
