package io.chorus.audit.internal;

import io.chorus.chat.ChatEvents;
import io.chorus.chat.ChatEvents.HoldSubject;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Chat's changes, as audit entries. Message entries name the message and its seq, never its
 * text: the text lives with the message (and goes with it when retention purges it), except
 * for an edit, whose old and new text are exactly what an auditor asks about.
 */
@Component
class ChatActivity {

    private static final String CONVERSATION = "CONVERSATION";
    private static final String MESSAGE = "MESSAGE";
    private static final String USER = "USER";

    private final ActivityLog log;
    private final RepeatedRefusals refusals;

    ChatActivity(ActivityLog log, RepeatedRefusals refusals) {
        this.log = log;
        this.refusals = refusals;
    }

    @ApplicationModuleListener
    void on(ChatEvents.ConversationCreated e) {
        log.record(Activity.of("conversation.created", e).at(e.at()).by(e.createdBy())
                .target(CONVERSATION, e.conversationId().value()).conversation(e.conversationId().value())
                .detail("kind", e.kind()).detail("name", e.name()));
    }

    @ApplicationModuleListener
    void on(ChatEvents.ConversationRenamed e) {
        log.record(Activity.of("conversation.renamed", e).at(e.at()).by(e.by())
                .target(CONVERSATION, e.conversationId().value()).conversation(e.conversationId().value())
                .detail("oldName", e.oldName()).detail("newName", e.newName()));
    }

    @ApplicationModuleListener
    void on(ChatEvents.ConversationArchived e) {
        log.record(Activity.of("conversation.archived", e).at(e.at()).by(e.by())
                .target(CONVERSATION, e.conversationId().value()).conversation(e.conversationId().value()));
    }

    @ApplicationModuleListener
    void on(ChatEvents.MemberAdded e) {
        log.record(Activity.of("conversation.member_added", e).at(e.at()).by(e.by())
                .target(USER, e.userId().value()).conversation(e.conversationId().value())
                .detail("role", e.role()));
    }

    @ApplicationModuleListener
    void on(ChatEvents.MemberRemoved e) {
        boolean left = e.userId().equals(e.by());
        log.record(Activity.of(left ? "conversation.member_left" : "conversation.member_removed", e).at(e.at())
                .by(e.by()).target(USER, e.userId().value()).conversation(e.conversationId().value()));
    }

    /*
     * Message events are recorded by plain listeners, inside the transaction that stores the
     * message: the pending entry commits with it or not at all, exactly once, with no
     * publication to insert, mark and complete on the hot path. A failure here fails the send,
     * which is right: a message the trail does not know of must not be acknowledged. The key is
     * the message's own (id, and version for changes), cheaper than hashing the event.
     */

    @EventListener
    void on(ChatEvents.MessagePosted e) {
        log.record(Activity.of("message.posted", "message.posted:" + e.messageId()).at(e.at())
                .by(e.sender())
                .target(MESSAGE, e.messageId()).conversation(e.conversationId().value())
                .detail("seq", e.seq()).detail("length", e.text().length()));
    }

    @EventListener
    void on(ChatEvents.MessageEdited e) {
        log.record(Activity.of("message.edited", "message.edited:" + e.messageId() + ":" + e.version())
                .at(e.at()).by(e.editor())
                .target(MESSAGE, e.messageId()).conversation(e.conversationId().value())
                .detail("seq", e.seq()).detail("version", e.version())
                .detail("oldText", e.oldText()).detail("newText", e.newText()));
    }

    @EventListener
    void on(ChatEvents.MessageRecalled e) {
        log.record(Activity.of("message.recalled", "message.recalled:" + e.messageId() + ":" + e.version())
                .at(e.at()).by(e.by())
                .target(MESSAGE, e.messageId()).conversation(e.conversationId().value())
                .detail("seq", e.seq()).detail("version", e.version()));
    }

    @ApplicationModuleListener
    void on(ChatEvents.RetentionPolicyChanged e) {
        Activity activity = Activity.of("retention.policy_changed", e).at(e.at()).by(e.by())
                .detail("oldDays", e.oldDays()).detail("newDays", e.newDays());
        if (e.conversationId() == null) {
            activity.target("RETENTION_POLICY", "global");
        } else {
            activity.target(CONVERSATION, e.conversationId().value()).conversation(e.conversationId().value());
        }
        log.record(activity);
    }

    @ApplicationModuleListener
    void on(ChatEvents.MessagesPurged e) {
        log.record(Activity.of("retention.messages_purged", e).at(e.at()).by((java.util.UUID) null)
                .target(CONVERSATION, e.conversationId().value()).conversation(e.conversationId().value())
                .detail("fromSeq", e.fromSeq()).detail("toSeq", e.toSeq()).detail("count", e.count())
                .detail("cutoff", e.cutoff().toString()));
    }

    @ApplicationModuleListener
    void on(ChatEvents.LegalHoldPlaced e) {
        log.record(Activity.of("legal_hold.placed", e).at(e.at()).by(e.by()).target("LEGAL_HOLD", e.holdId())
                .conversation(e.subjectType() == HoldSubject.CONVERSATION ? e.subjectId() : null)
                .detail("subjectType", e.subjectType()).detail("subjectId", e.subjectId().toString())
                .detail("from", e.from() == null ? null : e.from().toString())
                .detail("to", e.to() == null ? null : e.to().toString()).detail("reason", e.reason()));
    }

    @ApplicationModuleListener
    void on(ChatEvents.LegalHoldReleased e) {
        log.record(Activity.of("legal_hold.released", e).at(e.at()).by(e.by()).target("LEGAL_HOLD", e.holdId())
                .conversation(e.subjectType() == HoldSubject.CONVERSATION ? e.subjectId() : null)
                .detail("subjectType", e.subjectType()).detail("subjectId", e.subjectId().toString()));
    }

    /*
     * Sessions opening and closing arrive through EdgeEvents, many to a transaction (a reconnect
     * storm is thousands at once). Recorded inside that transaction, in the order they happened:
     * a session's close can never be chained before its opening, as concurrent listeners could.
     */

    @EventListener
    void on(ChatEvents.SessionConnected e) {
        log.record(Activity.of("stomp.connected", e).at(e.at()).by(e.userId()).target("SESSION", e.sessionId())
                .from(e.remoteAddress(), e.sessionId()));
    }

    @EventListener
    void on(ChatEvents.SessionDisconnected e) {
        // Spring may announce one session's end more than once: one entry per session.
        log.record(Activity.of("stomp.disconnected", "stomp.disconnected:" + e.sessionId()).at(e.at()).by(e.userId()).target("SESSION", e.sessionId())
                .from(null, e.sessionId()));
    }

    @ApplicationModuleListener
    void on(ChatEvents.StompFrameDenied e) {
        refusals.refused(Activity.of("security.access_denied", e).at(e.at()).by(e.userId())
                .target("DESTINATION", "STOMP " + e.command() + " " + e.destination()).from(null, e.sessionId())
                .detail("code", e.code()));
    }
}
