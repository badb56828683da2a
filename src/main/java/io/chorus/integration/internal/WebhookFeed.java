package io.chorus.integration.internal;

import io.chorus.approval.ApprovalEvents;
import io.chorus.approval.Approvals;
import io.chorus.approval.InstanceView;
import io.chorus.chat.ChatEvents;
import io.chorus.chat.ConversationId;
import io.chorus.chat.Conversations;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.Role;
import io.chorus.identity.UserId;
import io.chorus.integration.EventType;
import io.chorus.integration.internal.DeliveryStore.NewDelivery;
import io.chorus.integration.internal.SubscriptionIndex.Snapshot;
import io.chorus.integration.internal.SubscriptionIndex.Target;
import io.chorus.org.OrgEvents;
import io.chorus.platform.ChorusProblem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns other modules' events into deliveries for the subscriptions that want them, and only
 * where the subscriber may read what the event carries: a conversation it is a member of, an
 * approval it can see, the org chart with {@code org:read} (checked when subscribing).
 *
 * <p>Message events come through plain listeners inside the sending transaction (the hot path):
 * the in-memory index answers "nobody" without a query for almost every message, and a delivery
 * row is written, in that transaction, only for a subscription that matches. The rest are
 * module listeners (the publication registry redelivers them; one row per event per
 * subscription keeps a redelivery from adding a second).
 */
@Component
class WebhookFeed {

    private static final Logger log = LoggerFactory.getLogger(WebhookFeed.class);

    private final SubscriptionIndex index;
    private final DeliveryStore deliveries;
    private final Conversations conversations;
    private final Approvals approvals;
    private final JsonMapper json;
    private final Clock clock;

    WebhookFeed(SubscriptionIndex index, DeliveryStore deliveries, Conversations conversations, Approvals approvals,
            JsonMapper json, Clock clock) {
        this.index = index;
        this.deliveries = deliveries;
        this.conversations = conversations;
        this.approvals = approvals;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs inside the sender's transaction, so it must never fail a send because of what
     * integrations look like. The states that could (a subscription the index still lists but
     * another node deleted or switched off, a redelivered event) insert nothing by construction
     * ({@link DeliveryStore#ENQUEUE}), and the feed never throws for them. What may still come out:
     *
     * <ul>
     *   <li>A {@link DataAccessException} propagates, deliberately. In PostgreSQL a failed
     *       statement aborts the whole transaction, so catching it here would not save the send:
     *       its commit would fail a moment later with a misleading "transaction aborted". And a
     *       database that cannot insert a delivery row cannot store the message either; a
     *       savepoint to swallow it would instead commit a message whose promised delivery is
     *       silently lost.
     *   <li>Anything else is a defect in building deliveries (the database has not refused
     *       anything, the transaction is intact): the message goes, its webhooks do not, and the
     *       log says so. Integrations are consumers; they never cost a member a message.
     * </ul>
     */
    @EventListener
    void on(ChatEvents.MessagePosted e) {
        try {
            feed(e);
        } catch (DataAccessException databaseFailure) {
            throw databaseFailure;
        } catch (RuntimeException defect) {
            log.error("Message {} in {} reaches no webhook: building its deliveries failed", e.messageId(),
                    e.conversationId().value(), defect);
        }
    }

    private void feed(ChatEvents.MessagePosted e) {
        Snapshot snapshot = index.current();
        List<Target> listed = snapshot.messagesIn(e.conversationId().value());
        List<Target> mentionable = snapshot.of(EventType.BOT_MENTIONED);
        if (listed.isEmpty() && mentionable.isEmpty()) {
            return;
        }
        // A subscriber never hears its own messages (a bot answering a message would hear its answer).
        Predicate<Target> others = target -> !target.ownerId().equals(e.sender().value());
        Map<String, Object> data = data("conversationId", e.conversationId().value(), "messageId", e.messageId(),
                "seq", e.seq(), "senderId", e.sender().value(), "text", e.text(), "sentAt", e.at());
        MemberCheck members = new MemberCheck(e.conversationId());
        enqueue(EventType.MESSAGE_POSTED, "message:" + e.messageId(), e.at(), data,
                listed.stream().filter(others).filter(members).toList());
        List<Target> mentioned = mentionable.stream().filter(others)
                .filter(target -> target.ownerUsername() != null && e.mentions(target.ownerUsername()))
                .filter(members).toList();
        enqueue(EventType.BOT_MENTIONED, "message:" + e.messageId(), e.at(), data, mentioned);
    }

    @ApplicationModuleListener
    void on(ChatEvents.MemberAdded e) {
        List<Target> targets = index.current().of(EventType.MEMBER_ADDED);
        if (!targets.isEmpty()) {
            enqueue(EventType.MEMBER_ADDED, e.toString(), e.at(), data("conversationId", e.conversationId().value(),
                    "userId", e.userId().value(), "role", e.role(), "by", id(e.by()), "at", e.at()),
                    targets.stream().filter(new MemberCheck(e.conversationId())).toList());
        }
    }

    /** The removed member hears of its own removal too: the last event it gets from that conversation. */
    @ApplicationModuleListener
    void on(ChatEvents.MemberRemoved e) {
        List<Target> targets = index.current().of(EventType.MEMBER_REMOVED);
        if (!targets.isEmpty()) {
            MemberCheck members = new MemberCheck(e.conversationId());
            enqueue(EventType.MEMBER_REMOVED, e.toString(), e.at(), data("conversationId", e.conversationId().value(),
                    "userId", e.userId().value(), "by", id(e.by()), "at", e.at()),
                    targets.stream().filter(target -> target.ownerId().equals(e.userId().value())
                            || members.test(target)).toList());
        }
    }

    /*
     * Approval events: the publication registry keeps these too (they are transactional event
     * listeners), but they run outside a transaction of their own, unlike module listeners: each
     * visibility check is then its own read, and a refusal (the approval module's 404) cannot
     * mark a surrounding transaction rollback-only. The inserts are idempotent one by one.
     */

    @Async
    @TransactionalEventListener
    void on(ApprovalEvents.ApprovalSubmitted e) {
        approval(EventType.APPROVAL_SUBMITTED, e, e.instanceId(), data("instanceId", e.instanceId(),
                "templateId", e.templateId(), "templateVersion", e.templateVersion(), "title", e.title(),
                "requesterId", id(e.requester()), "submittedBy", id(e.submittedBy()),
                "resubmittedFrom", e.resubmittedFrom(), "at", e.at()));
    }

    @Async
    @TransactionalEventListener
    void on(ApprovalEvents.ApprovalDecided e) {
        approval(EventType.APPROVAL_DECIDED, e, e.instanceId(), data("instanceId", e.instanceId(),
                "taskId", e.taskId(), "step", e.step(), "approverId", id(e.approver()), "outcome", e.outcome(),
                "comment", e.comment(), "automatic", e.automatic(), "at", e.at()));
    }

    @Async
    @TransactionalEventListener
    void on(ApprovalEvents.ApprovalCompleted e) {
        approval(EventType.APPROVAL_COMPLETED, e, e.instanceId(), data("instanceId", e.instanceId(),
                "templateId", e.templateId(), "requesterId", id(e.requester()), "outcome", e.outcome(),
                "at", e.at()));
    }

    @Async
    @TransactionalEventListener
    void on(ApprovalEvents.ApprovalWithdrawn e) {
        approval(EventType.APPROVAL_WITHDRAWN, e, e.instanceId(), data("instanceId", e.instanceId(),
                "by", id(e.by()), "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentCreated e) {
        org(EventType.ORG_DEPARTMENT_CREATED, e, e.at(), data("departmentId", e.departmentId().value(),
                "name", e.name(), "parentId", e.parentId() == null ? null : e.parentId().value(), "by", id(e.by()),
                "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentRenamed e) {
        org(EventType.ORG_DEPARTMENT_RENAMED, e, e.at(), data("departmentId", e.departmentId().value(),
                "oldName", e.oldName(), "newName", e.newName(), "by", id(e.by()), "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentMoved e) {
        org(EventType.ORG_DEPARTMENT_MOVED, e, e.at(), data("departmentId", e.departmentId().value(),
                "oldParentId", e.oldParentId() == null ? null : e.oldParentId().value(),
                "newParentId", e.newParentId() == null ? null : e.newParentId().value(), "by", id(e.by()),
                "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentDeleted e) {
        org(EventType.ORG_DEPARTMENT_DELETED, e, e.at(), data("departmentId", e.departmentId().value(),
                "name", e.name(), "by", id(e.by()), "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentHeadsChanged e) {
        org(EventType.ORG_DEPARTMENT_HEADS_CHANGED, e, e.at(), data("departmentId", e.departmentId().value(),
                "headIds", e.heads().stream().map(UserId::value).toList(), "by", id(e.by()), "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.EmployeeJoinedDepartment e) {
        org(EventType.ORG_EMPLOYEE_JOINED, e, e.at(), data("userId", e.userId().value(),
                "departmentId", e.departmentId().value(), "title", e.title(), "primary", e.primary(),
                "by", id(e.by()), "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.EmployeeMembershipChanged e) {
        org(EventType.ORG_EMPLOYEE_UPDATED, e, e.at(), data("userId", e.userId().value(),
                "departmentId", e.departmentId().value(), "title", e.title(), "primary", e.primary(),
                "by", id(e.by()), "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.EmployeeLeftDepartment e) {
        org(EventType.ORG_EMPLOYEE_LEFT, e, e.at(), data("userId", e.userId().value(),
                "departmentId", e.departmentId().value(), "by", id(e.by()), "at", e.at()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.ManagerChanged e) {
        org(EventType.ORG_MANAGER_CHANGED, e, e.at(), data("userId", e.userId().value(),
                "oldManagerId", id(e.oldManagerId()), "newManagerId", id(e.newManagerId()), "by", id(e.by()),
                "at", e.at()));
    }

    /** To every subscriber that can see the instance now, as it would through {@code GET /approvals/instances/{id}}. */
    private void approval(EventType type, Object event, UUID instance, Map<String, Object> data) {
        List<Target> targets = index.current().of(type);
        if (!targets.isEmpty()) {
            enqueue(type, event.toString(), null, data, targets.stream().filter(target -> canSee(target, instance))
                    .toList());
        }
    }

    /**
     * Visibility as the approval module decides it for the subscriber as a plain employee: the
     * instances it submitted or requested, or takes part in. Never more than its token could read.
     */
    private boolean canSee(Target target, UUID instance) {
        CurrentUser subscriber = new CurrentUser(UserId.of(target.ownerId()), target.ownerUsername(),
                target.ownerUsername(), Set.of(Role.EMPLOYEE));
        try {
            InstanceView view = approvals.get(subscriber, instance);
            return view != null;
        } catch (ChorusProblem notVisible) {
            return false;
        }
    }

    /** The org chart is readable by anyone holding {@code org:read}, which subscribing to it required. */
    private void org(EventType type, Object event, Instant at, Map<String, Object> data) {
        List<Target> targets = index.current().of(type);
        if (!targets.isEmpty()) {
            enqueue(type, event.toString(), at, data, targets);
        }
    }

    /**
     * One payload per event, the same for every subscriber, Standard Webhooks' recommended shape.
     *
     * @param key what makes the event itself unique: its id derives from it, so a redelivered
     *     event gets the same id and adds no second row
     */
    private void enqueue(EventType type, String key, Instant timestamp, Map<String, Object> data,
            List<Target> targets) {
        if (targets.isEmpty()) {
            return;
        }
        UUID eventId = UUID.nameUUIDFromBytes((type.value() + "\n" + key).getBytes(StandardCharsets.UTF_8));
        Instant now = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", eventId);
        payload.put("type", type.value());
        payload.put("timestamp", timestamp == null ? now : timestamp);
        payload.put("data", data);
        String body = json.writeValueAsString(payload);
        Set<UUID> subscriptions = new LinkedHashSet<>();
        List<NewDelivery> rows = new ArrayList<>();
        for (Target target : targets) {
            if (subscriptions.add(target.subscriptionId())) {
                rows.add(new NewDelivery(target.subscriptionId(), eventId, type.value(), body));
            }
        }
        deliveries.enqueue(rows, now);
    }

    /** Whether a subscriber is a member of the conversation, asked once per subscriber and event. */
    private final class MemberCheck implements Predicate<Target> {

        private final ConversationId conversation;
        private final Map<UUID, Boolean> answers = new LinkedHashMap<>();

        MemberCheck(ConversationId conversation) {
            this.conversation = conversation;
        }

        @Override
        public boolean test(Target target) {
            return answers.computeIfAbsent(target.ownerId(),
                    owner -> conversations.isMember(UserId.of(owner), conversation));
        }
    }

    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            data.put((String) pairs[i], pairs[i + 1]);
        }
        return data;
    }

    private static UUID id(UserId user) {
        return user == null ? null : user.value();
    }
}
