package io.chorus.chat;

import io.chorus.chat.internal.ConversationStore;
import io.chorus.chat.internal.ConversationStore.ViewerRow;
import io.chorus.chat.internal.MemberStore;
import io.chorus.chat.internal.MemberStore.SenderAccess;
import io.chorus.chat.internal.MessageStore;
import io.chorus.chat.internal.MessageStore.MessageCore;
import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cards: messages of kind {@link MessageKind#CARD} that another module (approvals) posts,
 * replaces in place as what they show changes, and whose actions members invoke. A card takes
 * a seq, is delivered live and caught up like any message; its text is the card's plain-text
 * summary, so search, audit and exports need nothing new. Members cannot edit it as text
 * ({@link Messages#edit}); recall and reactions follow the rules of every message.
 */
@Service
public class Cards {

    private final ConversationStore conversations;
    private final MemberStore members;
    private final MessageStore messages;
    private final Conversations membership;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Cards(ConversationStore conversations, MemberStore members, MessageStore messages, Conversations membership,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.conversations = conversations;
        this.members = members;
        this.messages = messages;
        this.membership = membership;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Signals that this post lost the race to an identical one; its transaction rolls back. */
    private static final class AlreadyPosted extends RuntimeException {
        AlreadyPosted() {
            super(null, null, false, false);
        }
    }

    /**
     * Posts the card as a message of kind CARD; the sender must be a member. Same (sender,
     * clientMessageId) again returns the existing message (no duplicate, no error even if the
     * card differs — the poster updates with {@link #update}). A client message id the sender
     * used for a text message, or in another conversation, is refused as
     * {@code CLIENT_MESSAGE_ID_REUSED}.
     */
    public MessageView post(PostCard command) {
        return send(command).message();
    }

    /** As {@link #post}, telling a new card from the original an earlier post with the same client message id made. */
    public SendResult send(PostCard command) {
        try {
            return Objects.requireNonNull(transactions.execute(status -> postInTransaction(command)));
        } catch (AlreadyPosted raced) {
            // A concurrent post with the same client message id committed first, or the group
            // was archived between our check and our insert.
            MessageCore original = messages.findBySenderAndClientId(command.sender().value(), command.clientMessageId())
                    .orElseThrow(Conversations::archived);
            return new SendResult(posted(command, original), true);
        }
    }

    private SendResult postInTransaction(PostCard command) {
        UUID conversationId = command.conversationId().value();
        UUID sender = command.sender().value();
        SenderAccess access = members.lockedSenderAccess(conversationId, sender).orElse(null);
        var earlier = messages.findBySenderAndClientId(sender, command.clientMessageId());
        if (earlier.isPresent()) {
            return new SendResult(posted(command, earlier.get()), true);
        }
        if (access == null) {
            throw membership.notVisible(command.conversationId());
        }
        if (access.archived()) {
            throw Conversations.archived();
        }
        Card card = command.card();
        String summary = card.summary();
        Instant now = clock.instant();
        MessageStore.Posted posted = messages.post(conversationId, sender, command.clientMessageId(), summary, card,
                null, List.of(), false, now).orElseThrow(AlreadyPosted::new);
        MessageView view = new MessageView(posted.id(), conversationId, posted.seq(), sender,
                command.clientMessageId(), summary, MessageKind.CARD, card, null, List.of(), false, List.of(), now,
                null, false, null, false, 1);
        events.publishEvent(new ChatEvents.MessagePosted(command.conversationId(), posted.id(), posted.seq(),
                command.sender(), summary, now));
        // Published while the conversation's row lock is held: live events leave in seq order.
        events.publishEvent(LiveDelivery.toMembers(conversationId, new LiveEvent.MessagePosted(conversationId, view)));
        return new SendResult(view, false);
    }

    /** The card an earlier post with the same client message id stored, as it is now. */
    private MessageView posted(PostCard command, MessageCore original) {
        if (!original.conversationId().equals(command.conversationId().value()) || original.kind() != MessageKind.CARD) {
            throw ChorusProblem.conflict(ChatProblems.CLIENT_MESSAGE_ID_REUSED,
                    "This clientMessageId was already used for a different message.");
        }
        return messages.view(original.id());
    }

    /**
     * Replaces the card of a CARD message that {@code sender} posted: version+1, edited, a
     * message.updated live event to members, {@link ChatEvents.MessageEdited} (text = the card's
     * plain-text summary) so search re-indexes. An identical card changes nothing (no new version)
     * and returns the current view. The card replaced is kept as a revision. A recalled or purged
     * card is not replaced ({@code MESSAGE_RECALLED}, {@code MESSAGE_PURGED}).
     */
    @Transactional
    public MessageView update(UserId sender, ConversationId conversationId, long messageId, Card card) {
        if (card == null) {
            throw ChorusProblem.badRequest(io.chorus.platform.ProblemCodes.VALIDATION_FAILED, "A card is required.");
        }
        Messages.changeable(membership.member(sender, conversationId));
        // The same lock order as every message change: the conversation row, then the message's.
        long stamp = conversations.lockedLastSeq(conversationId.value());
        MessageCore message = messages.findForUpdate(conversationId.value(), messageId)
                .orElseThrow(Messages::noSuchMessage);
        if (!message.senderId().equals(sender.value())) {
            throw ChorusProblem.forbidden(ChatProblems.NOT_THE_AUTHOR, "Only the card's poster may replace it.");
        }
        if (message.kind() != MessageKind.CARD) {
            throw ChorusProblem.conflict(ChatProblems.NOT_A_CARD, "This message is text, not a card.");
        }
        if (message.recalled()) {
            throw ChorusProblem.conflict(ChatProblems.MESSAGE_RECALLED, "A recalled card cannot be replaced.");
        }
        Messages.notPurged(message);
        if (card.equals(message.card())) {
            return messages.view(messageId);
        }
        Instant now = clock.instant();
        int version = messages.replaceCard(messageId, card, now, stamp);
        events.publishEvent(new ChatEvents.MessageEdited(conversationId, messageId, message.seq(), sender,
                message.body(), card.summary(), version, now));
        MessageView view = messages.view(messageId);
        events.publishEvent(LiveDelivery.toMembers(conversationId.value(),
                new LiveEvent.MessageUpdated(conversationId.value(), view)));
        return view;
    }

    /**
     * A member invokes an action of a card: checked against the card's current version, then
     * {@link CardActionInvoked} is published synchronously, outside any transaction, to whatever
     * listener the card's poster registered; a {@link ChorusProblem} it throws reaches the
     * caller. What the action does is up to that poster; with no listener, nothing happens.
     *
     * @param input what the member typed, or null
     */
    public void invoke(UserId actor, ConversationId conversationId, long messageId, String actionId, String input) {
        ViewerRow row = membership.member(actor, conversationId);
        if (row.conversation().archived()) {
            throw Conversations.archived();
        }
        MessageCore message = messages.find(conversationId.value(), messageId).orElseThrow(Messages::noSuchMessage);
        if (message.recalled()) {
            throw ChorusProblem.conflict(ChatProblems.MESSAGE_RECALLED, "This card was recalled.");
        }
        Messages.notPurged(message);
        if (message.kind() != MessageKind.CARD) {
            throw ChorusProblem.conflict(ChatProblems.CARD_ACTION_UNAVAILABLE, "This message is not a card.");
        }
        Card.Action action = message.card().action(actionId).orElseThrow(() -> ChorusProblem.conflict(
                ChatProblems.CARD_ACTION_UNAVAILABLE,
                "The card has no action '" + actionId + "' (any more): it may have changed; show its latest version."));
        String typed = action.accept(input);
        events.publishEvent(new CardActionInvoked(actor, conversationId, messageId, UserId.of(message.senderId()),
                action.id(), action.value(), typed));
    }
}
