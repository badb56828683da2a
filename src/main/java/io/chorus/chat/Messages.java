package io.chorus.chat;

import io.chorus.chat.internal.ChatProperties;
import io.chorus.chat.internal.ConversationStore;
import io.chorus.chat.internal.ConversationStore.ViewerRow;
import io.chorus.chat.internal.GroupPermissions;
import io.chorus.chat.internal.MemberStore;
import io.chorus.chat.internal.MemberStore.SenderAccess;
import io.chorus.chat.internal.MentionedNames;
import io.chorus.chat.internal.MessageStore;
import io.chorus.chat.internal.MessageStore.MessageCore;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sending, reading, editing and recalling messages. The delivery contract: a message's seq is
 * drawn in the transaction that stores it, so seqs are gapless and unique per conversation;
 * the sender's acknowledgement is returned only after commit; a retried send (same sender,
 * same client message id) returns the original.
 */
@Service
public class Messages {

    private static final Pattern EMOJI = Pattern.compile("[^\\s\\p{Cntrl}]{1,32}");

    private final ConversationStore conversations;
    private final MemberStore members;
    private final MessageStore messages;
    private final Conversations membership;
    private final UserDirectory users;
    private final ApplicationEventPublisher events;
    private final ChatProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Messages(ConversationStore conversations, MemberStore members, MessageStore messages, Conversations membership,
            UserDirectory users, ApplicationEventPublisher events, ChatProperties properties,
            TransactionTemplate transactions, Clock clock) {
        this.conversations = conversations;
        this.members = members;
        this.messages = messages;
        this.membership = membership;
        this.users = users;
        this.events = events;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Signals that this send lost the race to an identical one; its transaction rolls back. */
    private static final class AlreadySent extends RuntimeException {
        AlreadySent() {
            super(null, null, false, false);
        }
    }

    public SendResult send(SendMessage command) {
        try {
            return Objects.requireNonNull(transactions.execute(status -> sendInTransaction(command)));
        } catch (AlreadySent raced) {
            // A concurrent attempt with the same client message id committed first, or the
            // group was archived between our check and our insert.
            MessageCore original = messages.findBySenderAndClientId(command.sender().value(), command.clientMessageId())
                    .orElseThrow(Conversations::archived);
            return retried(command, original);
        }
    }

    private SendResult sendInTransaction(SendMessage command) {
        UUID conversationId = command.conversationId().value();
        UUID sender = command.sender().value();
        SenderAccess access = members.lockedSenderAccess(conversationId, sender).orElse(null);
        if (access == null || access.archived()) {
            // A retry of a send that succeeded before the sender left, or before the archive,
            // still gets its original back.
            var earlier = messages.findBySenderAndClientId(sender, command.clientMessageId());
            if (earlier.isPresent()) {
                return retried(command, earlier.get());
            }
            if (access == null) {
                throw membership.notVisible(command.conversationId());
            }
            throw Conversations.archived();
        }
        MessageView.ReplyPreview reply = null;
        if (command.replyToMessageId() != null) {
            MessageCore quoted = messages.find(conversationId, command.replyToMessageId()).orElseThrow(() ->
                    ChorusProblem.unprocessable(ChatProblems.MESSAGE_NOT_FOUND,
                            "The quoted message is not in this conversation."));
            reply = new MessageView.ReplyPreview(quoted.id(), quoted.seq(), quoted.senderId(),
                    quoted.recalled() || quoted.purged() ? null : excerpt(quoted.body()));
        }
        Mentions mentions = mentions(conversationId, access.role(), access.kind(), command.text());
        Instant now = clock.instant();
        // A conflict means this client message id was used before (or concurrently): roll back.
        MessageStore.Posted posted = messages.post(conversationId, sender, command.clientMessageId(), command.text(),
                null, command.replyToMessageId(), mentions.users(), mentions.all(), now).orElseThrow(AlreadySent::new);
        MessageView view = new MessageView(posted.id(), conversationId, posted.seq(), sender,
                command.clientMessageId(), command.text(), MessageKind.TEXT, null, reply, mentions.users(), mentions.all(), List.of(), now,
                null, false, null, false, 1);
        events.publishEvent(new ChatEvents.MessagePosted(command.conversationId(), posted.id(), posted.seq(),
                command.sender(), command.text(), now));
        // Published while the conversation's row lock is held: live events leave in seq order.
        events.publishEvent(LiveDelivery.toMembers(conversationId, new LiveEvent.MessagePosted(conversationId, view)));
        return new SendResult(view, false);
    }

    /** The quoted text as replies show it; the same length the history query returns. */
    private static String excerpt(String body) {
        return body.length() <= MessageStore.REPLY_EXCERPT_LENGTH ? body
                : body.substring(0, MessageStore.REPLY_EXCERPT_LENGTH);
    }

    /** The original of a retried send, provided the retry really is the same message. */
    private SendResult retried(SendMessage command, MessageCore original) {
        // Once a message has changed (version > 1) its text may differ from the first attempt's.
        boolean sameText = original.version() > 1 || original.body().equals(command.text());
        if (!original.conversationId().equals(command.conversationId().value()) || !sameText
                || original.kind() != MessageKind.TEXT) {
            throw ChorusProblem.conflict(ChatProblems.CLIENT_MESSAGE_ID_REUSED,
                    "This clientMessageId was already used for a different message.");
        }
        return new SendResult(messages.view(original.id()), true);
    }

    private record Mentions(List<UUID> users, boolean all) {
    }

    private Mentions mentions(UUID conversationId, MemberRole role, ConversationKind kind, String text) {
        MentionedNames written = MentionedNames.parse(text);
        if (written.isEmpty()) {
            return new Mentions(List.of(), false);
        }
        boolean all = written.all();
        if (all && !GroupPermissions.mayMentionAll(kind, role)) {
            throw ChorusProblem.forbidden(ChatProblems.MENTION_ALL_NOT_ALLOWED,
                    "Only a group's owner and admins may mention @all.");
        }
        List<UUID> named = users.findActiveByUsernames(written.usernames()).values().stream().map(UserId::value)
                .distinct().toList();
        // "@word" that names no member is ordinary text (an e-mail domain, a handle elsewhere).
        return new Mentions(members.membersAmong(conversationId, named), all);
    }

    /** The newest page, or the page right before {@code beforeSeq} or right after {@code afterSeq}. */
    @Transactional(readOnly = true)
    public MessagePage history(UserId me, ConversationId id, Long beforeSeq, Long afterSeq, int limit) {
        if (beforeSeq != null && afterSeq != null) {
            throw ChorusProblem.badRequest(io.chorus.platform.ProblemCodes.VALIDATION_FAILED,
                    "Give beforeSeq or afterSeq, not both.");
        }
        ViewerRow row = membership.member(me, id);
        int size = Math.clamp(limit, 1, properties.maxPageSize());
        List<MessageView> items = messages.page(id.value(), beforeSeq, afterSeq, size + 1);
        boolean more = items.size() > size;
        if (more) {
            items = afterSeq != null ? items.subList(0, size) : items.subList(1, items.size());
        }
        return new MessagePage(items, more, row.conversation().lastSeq());
    }

    /**
     * What a client that has seen everything up to {@code sinceSeq} missed: every newer
     * message and the current state of older ones edited, recalled or reacted to since.
     * Page with {@code afterSeq} = the last item's seq while {@code hasMore}.
     */
    @Transactional(readOnly = true)
    public MessagePage catchUp(UserId me, ConversationId id, long sinceSeq, Long afterSeq, int limit) {
        ViewerRow row = membership.member(me, id);
        if (sinceSeq < 0 || sinceSeq > row.conversation().lastSeq()) {
            throw ChorusProblem.unprocessable(ChatProblems.SEQ_OUT_OF_RANGE,
                    "sinceSeq must be between 0 and the conversation's last seq (" + row.conversation().lastSeq() + ").");
        }
        int size = Math.clamp(limit, 1, properties.maxPageSize());
        List<MessageView> items = messages.catchUp(id.value(), sinceSeq, afterSeq == null ? 0 : afterSeq, size + 1);
        boolean more = items.size() > size;
        return new MessagePage(more ? items.subList(0, size) : items, more, row.conversation().lastSeq());
    }

    /**
     * Author only, and text only: a card changes through its poster ({@link Cards#update}). The
     * text it replaces is kept as a revision.
     */
    @Transactional
    public MessageView edit(UserId me, ConversationId id, long messageId, String text) {
        String newText = SendMessage.validText(text);
        changeable(membership.member(me, id));
        long stamp = conversations.lockedLastSeq(id.value());
        MessageCore message = existing(id, messageId);
        if (message.kind() == MessageKind.CARD) {
            throw ChorusProblem.conflict(ChatProblems.CARD_NOT_EDITABLE,
                    "A card is not edited as text; it changes only when its poster updates it.");
        }
        if (!message.senderId().equals(me.value())) {
            throw ChorusProblem.forbidden(ChatProblems.NOT_THE_AUTHOR, "Only the author may edit a message.");
        }
        if (message.recalled()) {
            throw ChorusProblem.conflict(ChatProblems.MESSAGE_RECALLED, "A recalled message cannot be edited.");
        }
        notPurged(message);
        if (message.body().equals(newText)) {
            return messages.view(messageId);
        }
        Instant now = clock.instant();
        int version = messages.edit(messageId, newText, now, stamp);
        events.publishEvent(new ChatEvents.MessageEdited(id, messageId, message.seq(), me, message.body(), newText,
                version, now));
        return updated(id, messageId);
    }

    /**
     * The author within the recall window, or a group's owner or admin at any time. The
     * message keeps its seq; members see it as recalled, compliance still sees its text.
     */
    @Transactional
    public MessageView recall(UserId me, ConversationId id, long messageId) {
        ViewerRow row = changeable(membership.member(me, id));
        long stamp = conversations.lockedLastSeq(id.value());
        MessageCore message = existing(id, messageId);
        if (message.recalled()) {
            throw ChorusProblem.conflict(ChatProblems.MESSAGE_RECALLED, "This message was already recalled.");
        }
        notPurged(message);
        Instant now = clock.instant();
        boolean moderator = GroupPermissions.mayRecallOthers(row.conversation().kind(), row.role());
        if (!moderator) {
            if (!message.senderId().equals(me.value())) {
                throw ChorusProblem.forbidden(ChatProblems.NOT_THE_AUTHOR,
                        "Only the author, or a group's owner or admin, may recall a message.");
            }
            if (message.createdAt().plus(properties.recallWindow()).isBefore(now)) {
                throw ChorusProblem.conflict(ChatProblems.RECALL_WINDOW_PASSED,
                        "Messages can be recalled within " + properties.recallWindow().toSeconds() + " seconds.");
            }
        }
        int version = messages.recall(messageId, me.value(), now, stamp);
        events.publishEvent(new ChatEvents.MessageRecalled(id, messageId, message.seq(), me, version, now));
        return updated(id, messageId);
    }

    @Transactional
    public MessageView react(UserId me, ConversationId id, long messageId, String emoji, boolean add) {
        if (emoji == null || !EMOJI.matcher(emoji).matches()) {
            throw ChorusProblem.badRequest(ChatProblems.INVALID_REACTION,
                    "A reaction is 1 to 32 characters without spaces, such as 👍.");
        }
        changeable(membership.member(me, id));
        long stamp = conversations.lockedLastSeq(id.value());
        MessageCore message = existing(id, messageId);
        if (message.recalled()) {
            throw ChorusProblem.conflict(ChatProblems.MESSAGE_RECALLED, "A recalled message takes no reactions.");
        }
        notPurged(message);
        boolean changed = add ? messages.addReaction(messageId, emoji, me.value(), clock.instant())
                : messages.removeReaction(messageId, emoji, me.value());
        if (!changed) {
            return messages.view(messageId);
        }
        messages.touch(messageId, stamp);
        return updated(id, messageId);
    }

    /** DingTalk-style read receipts: who of the other members has read the message and who has not. */
    @Transactional(readOnly = true)
    public ReadReceipts readReceipts(UserId me, ConversationId id, long messageId) {
        membership.member(me, id);
        MessageCore message = messages.find(id.value(), messageId).orElseThrow(Messages::noSuchMessage);
        Map<Boolean, List<UUID>> split = messages.readersOf(id.value(), message.seq(), message.senderId());
        return new ReadReceipts(messageId, message.seq(), split.get(true), split.get(false));
    }

    /** An archived group is read-only: its messages are no longer edited, recalled or reacted to. */
    static ViewerRow changeable(ViewerRow row) {
        if (row.conversation().archived()) {
            throw Conversations.archived();
        }
        return row;
    }

    /** The message, locked against concurrent edits, recalls and reactions until the transaction ends. */
    private MessageCore existing(ConversationId id, long messageId) {
        return messages.findForUpdate(id.value(), messageId).orElseThrow(Messages::noSuchMessage);
    }

    /** Retention erased the content: nothing is left to edit, recall or react to. */
    static void notPurged(MessageCore message) {
        if (message.purged()) {
            throw ChorusProblem.conflict(ChatProblems.MESSAGE_PURGED,
                    "This message's retention period ran out; its content was erased.");
        }
    }

    static ChorusProblem noSuchMessage() {
        return ChorusProblem.notFound(ChatProblems.MESSAGE_NOT_FOUND, "No such message in this conversation.");
    }

    private MessageView updated(ConversationId id, long messageId) {
        MessageView view = messages.view(messageId);
        events.publishEvent(LiveDelivery.toMembers(id.value(), new LiveEvent.MessageUpdated(id.value(), view)));
        return view;
    }
}
