package io.chorus.chat;

import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;

/**
 * Post a card into a conversation as {@code sender}, who must be a member. {@code clientMessageId}
 * makes the post idempotent, as for {@link SendMessage}: the poster derives it from what the card
 * is about (an approval task, say), so a redelivered event posts nothing twice.
 */
public record PostCard(ConversationId conversationId, UserId sender, String clientMessageId, Card card) {

    public PostCard {
        if (conversationId == null || sender == null || card == null) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "A card is posted into a conversation, by a sender.");
        }
        SendMessage.validClientMessageId(clientMessageId);
    }
}
