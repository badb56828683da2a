package io.chorus.chat;

import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A message as compliance keeps it: its current text even when recalled (empty once retention
 * purged it), every earlier text, and who was a member of the conversation when it was posted.
 */
public record ArchivedMessage(long id, ConversationId conversationId, ConversationKind conversationKind,
        String conversationName, long seq, UserId senderId, String text, Instant sentAt, Instant editedAt,
        boolean recalled, Instant recalledAt, UserId recalledBy, boolean purged, Instant purgedAt,
        List<Revision> revisions, List<UserId> membersAtPosting) {

    /** An earlier text; revision 1 is the original. */
    public record Revision(int revision, String text, Instant writtenAt) {
    }
}
