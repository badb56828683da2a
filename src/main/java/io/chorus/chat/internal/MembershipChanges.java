package io.chorus.chat.internal;

import io.chorus.chat.ChatEvents;
import io.chorus.chat.ConversationId;
import io.chorus.chat.LiveDelivery;
import io.chorus.chat.LiveEvent;
import io.chorus.chat.MemberRole;
import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The one place membership changes: each change stores the member rows and count (through
 * {@link MemberStore}, which keeps its recipients cache right), records a history row, publishes
 * the event other modules consume and then the live event for clients, always in that order.
 *
 * <p>Callers decide whether a change is allowed and hold its locks: the members' rows first,
 * then the conversation's row (the order a send takes them in), and pass the conversation's last
 * seq read under that lock as the history's {@code at_seq}. Live events are published while
 * those locks are held, so they leave in the order of the changes.
 */
@Component
public class MembershipChanges {

    /** Who the history records as having made a change the org chart caused. */
    public static final UUID ORG_CHART = new UUID(0, 0);

    /** Who hears of a join besides the history. */
    public enum Notice {
        /** Nobody: the conversation's creation already says who is in it (a direct chat). */
        HISTORY_ONLY,
        /** Other modules (a {@link ChatEvents.MemberAdded}), not clients: the group's creator, who made it. */
        OTHER_MODULES,
        /** Other modules, and each newcomer's own sessions: members of a group just created. */
        NEWCOMERS,
        /** Other modules, and every member's sessions. */
        MEMBERS
    }

    private final MemberStore members;
    private final ConversationStore conversations;
    private final ApplicationEventPublisher events;

    MembershipChanges(MemberStore members, ConversationStore conversations, ApplicationEventPublisher events) {
        this.members = members;
        this.conversations = conversations;
        this.events = events;
    }

    /**
     * Adds those of {@code users} who are not members yet, in {@code role}, and returns exactly
     * the ones added.
     *
     * @param by who added them; null when the org chart did
     */
    public List<UUID> join(UUID conversation, Collection<UUID> users, MemberRole role, UserId by, Instant at,
            long atSeq, Notice notice) {
        List<UUID> added = members.add(conversation, users, role, at);
        if (added.isEmpty()) {
            return added;
        }
        conversations.adjustMemberCount(conversation, added.size());
        members.recordChanges(conversation, added, MembershipChangeKind.JOINED, role, changedBy(by), at, atSeq);
        if (notice == Notice.HISTORY_ONLY) {
            return added;
        }
        ConversationId id = ConversationId.of(conversation);
        for (UUID user : added) {
            events.publishEvent(new ChatEvents.MemberAdded(id, UserId.of(user), role, by, at));
            LiveEvent.MemberAdded live = new LiveEvent.MemberAdded(conversation, user, role);
            switch (notice) {
                case NEWCOMERS -> events.publishEvent(LiveDelivery.toUsers(conversation, List.of(user), live));
                case MEMBERS -> events.publishEvent(LiveDelivery.toMembers(conversation, live));
                case HISTORY_ONLY, OTHER_MODULES -> {
                }
            }
        }
        return added;
    }

    /**
     * Removes these members ({@code leaving} maps each to the role they had) and returns the ones
     * this call removed: a concurrent change that removed one first wins, and this call counts
     * nothing for them. The member rows go before the conversation's row is locked (again), so
     * a send holding a member's row finishes first and every later fan-out leaves the removed
     * out; each removed user still receives their own removal.
     *
     * @param kind {@link MembershipChangeKind#LEFT} or {@link MembershipChangeKind#REMOVED}
     * @param by who removed them (the user who left, for {@code LEFT}); null when the org chart did
     */
    public List<UUID> remove(UUID conversation, Map<UUID, MemberRole> leaving, MembershipChangeKind kind, UserId by,
            Instant at) {
        if (!kind.endsMembership()) {
            throw new IllegalArgumentException("Not a removal: " + kind);
        }
        List<UUID> removed = new ArrayList<>();
        leaving.forEach((user, role) -> {
            if (members.remove(conversation, user)) {
                removed.add(user);
            }
        });
        if (removed.isEmpty()) {
            return removed;
        }
        long atSeq = conversations.lockedLastSeq(conversation);
        conversations.adjustMemberCount(conversation, -removed.size());
        ConversationId id = ConversationId.of(conversation);
        for (UUID user : removed) {
            members.recordChanges(conversation, List.of(user), kind, leaving.get(user), changedBy(by), at, atSeq);
            events.publishEvent(new ChatEvents.MemberRemoved(id, UserId.of(user), by, at));
            events.publishEvent(LiveDelivery.toMembersAnd(conversation, user,
                    new LiveEvent.MemberRemoved(conversation, user)));
        }
        return removed;
    }

    /**
     * Gives a member a new role. Other modules learn of roles from the history and the member
     * list; only clients are told.
     *
     * @param by who changed it; null when the org chart did
     */
    public void changeRole(UUID conversation, UUID user, MemberRole role, UserId by, Instant at, long atSeq) {
        members.setRole(conversation, user, role);
        members.recordChanges(conversation, List.of(user), MembershipChangeKind.ROLE_CHANGED, role, changedBy(by), at,
                atSeq);
        events.publishEvent(LiveDelivery.toMembers(conversation, new LiveEvent.MemberRoleChanged(conversation, user,
                role)));
    }

    private static UUID changedBy(UserId by) {
        return by == null ? ORG_CHART : by.value();
    }
}
