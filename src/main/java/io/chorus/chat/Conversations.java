package io.chorus.chat;

import io.chorus.chat.internal.ChatProperties;
import io.chorus.chat.internal.ChatViews;
import io.chorus.chat.internal.ConversationRow;
import io.chorus.chat.internal.ConversationStore;
import io.chorus.chat.internal.ConversationStore.ViewerRow;
import io.chorus.chat.internal.GroupPermissions;
import io.chorus.chat.internal.MemberStore;
import io.chorus.chat.internal.MembershipChangeKind;
import io.chorus.chat.internal.MembershipChanges;
import io.chorus.chat.internal.MembershipChanges.Notice;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.platform.ChorusProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Direct chats and groups: creating them, their members and roles, and each member's view of them. */
@Service
public class Conversations {

    private static final int MAX_NAME_LENGTH = 100;

    private final ConversationStore conversations;
    private final MemberStore members;
    private final MembershipChanges changes;
    private final UserDirectory users;
    private final ApplicationEventPublisher events;
    private final ChatProperties properties;
    private final ChatViews views;
    private final Clock clock;

    Conversations(ConversationStore conversations, MemberStore members, MembershipChanges changes,
            UserDirectory users, ApplicationEventPublisher events, ChatProperties properties, ChatViews views,
            Clock clock) {
        this.conversations = conversations;
        this.members = members;
        this.changes = changes;
        this.users = users;
        this.events = events;
        this.properties = properties;
        this.views = views;
        this.clock = clock;
    }

    /** Every conversation {@code me} is a member of right now. */
    @Transactional(readOnly = true)
    public List<ConversationRef> memberships(UserId me) {
        return members.conversationsOf(me.value());
    }

    /** Whether {@code user} is a member of the conversation now: for modules that act only where a user may read. */
    @Transactional(readOnly = true)
    public boolean isMember(UserId user, ConversationId id) {
        return members.role(id.value(), user.value()).isPresent();
    }

    /** Groups with this name (case ignored), whoever their members are: for compliance look-ups. */
    @Transactional(readOnly = true)
    public List<ConversationRef> groupsNamed(String name) {
        return members.groupsNamed(name);
    }

    /** The direct chat of a pair, and whether this call created it. */
    public record Opened(ConversationView conversation, boolean created) {
    }

    /** The one direct chat between the caller and {@code peer}, created on first use. */
    @Transactional
    public Opened openDirect(UserId me, UserId peer) {
        if (me.equals(peer)) {
            throw ChorusProblem.unprocessable(ChatProblems.DIRECT_CHAT_WITH_SELF, "A direct chat needs another person.");
        }
        requireKnownUsers(List.of(peer.value()));
        String key = ConversationRow.directKey(me.value(), peer.value());
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        // ON CONFLICT on the pair's key: two people opening the chat at once still get one.
        boolean created = conversations.insertDirectIfAbsent(id, key, me.value(), now);
        ConversationRow row = conversations.findDirect(key).orElseThrow();
        if (created) {
            changes.join(row.id(), List.of(me.value(), peer.value()), MemberRole.MEMBER, me, now, 0,
                    Notice.HISTORY_ONLY);
            events.publishEvent(new ChatEvents.ConversationCreated(ConversationId.of(row.id()),
                    ConversationKind.DIRECT, null, me, now));
        }
        return new Opened(viewFor(me, row.id()), created);
    }

    @Transactional
    public ConversationView createGroup(UserId me, String name, Collection<UUID> memberIds) {
        String groupName = validName(name);
        Set<UUID> invited = new LinkedHashSet<>(memberIds);
        invited.remove(me.value());
        requireRoomFor(invited.size() + 1);
        requireKnownUsers(invited);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        conversations.insert(id, ConversationKind.GROUP, groupName, null, me.value(), now);
        events.publishEvent(new ChatEvents.ConversationCreated(ConversationId.of(id), ConversationKind.GROUP,
                groupName, me, now));
        // The creator knows the group exists; the people invited learn it from their live event.
        changes.join(id, List.of(me.value()), MemberRole.OWNER, me, now, 0, Notice.OTHER_MODULES);
        changes.join(id, invited, MemberRole.MEMBER, me, now, 0, Notice.NEWCOMERS);
        return viewFor(me, id);
    }

    /** One page of the caller's conversations, most recently active first. */
    @Transactional(readOnly = true)
    public ConversationPage list(UserId me, ConversationCursor after, int limit) {
        int size = Math.clamp(limit, 1, properties.maxPageSize());
        List<ViewerRow> rows = conversations.listFor(me.value(),
                after == null ? null : after.lastActivityAt(), after == null ? null : after.id(), size + 1);
        boolean more = rows.size() > size;
        List<ConversationView> items = rows.stream().limit(size).map(row -> view(me, row)).toList();
        ConversationCursor next = more ? new ConversationCursor(items.getLast().lastActivityAt(), items.getLast().id()) : null;
        return new ConversationPage(items, next);
    }

    public record ConversationPage(List<ConversationView> items, ConversationCursor next) {
    }

    /** Where a page of conversations ends: the last one's activity time and id. */
    public record ConversationCursor(Instant lastActivityAt, UUID id) {
    }

    @Transactional(readOnly = true)
    public ConversationView get(UserId me, ConversationId id) {
        return viewFor(me, id.value());
    }

    @Transactional
    public ConversationView rename(UserId me, ConversationId id, String name) {
        String newName = validName(name);
        ViewerRow row = managedGroup(me, id);
        if (!newName.equals(row.conversation().name())) {
            conversations.rename(id.value(), newName);
            events.publishEvent(new ChatEvents.ConversationRenamed(id, row.conversation().name(), newName, me,
                    clock.instant()));
            events.publishEvent(LiveDelivery.toMembers(id.value(),
                    new LiveEvent.ConversationUpdated(id.value(), newName, false)));
        }
        return viewFor(me, id.value());
    }

    /** Archived groups stay readable but take no new messages or members. Owner only. */
    @Transactional
    public ConversationView archive(UserId me, ConversationId id) {
        // Not group(): archiving an archived group is a no-op, not a conflict.
        ViewerRow row = anyGroup(me, id);
        if (!GroupPermissions.mayArchive(row.role())) {
            throw ChorusProblem.forbidden(ChatProblems.NOT_ALLOWED, "Only the group's owner may archive it.");
        }
        if (!row.conversation().archived()) {
            conversations.archive(id.value());
            events.publishEvent(new ChatEvents.ConversationArchived(id, me, clock.instant()));
            events.publishEvent(LiveDelivery.toMembers(id.value(),
                    new LiveEvent.ConversationUpdated(id.value(), row.conversation().name(), true)));
        }
        return viewFor(me, id.value());
    }

    @Transactional(readOnly = true)
    public List<MemberView> members(UserId me, ConversationId id) {
        member(me, id);
        List<MemberStore.MemberRow> rows = members.members(id.value());
        Map<UserId, UserProfile> profiles = users.findAll(rows.stream().map(row -> UserId.of(row.userId())).toList());
        return rows.stream().map(row -> views.member(row, profiles.get(UserId.of(row.userId())))).toList();
    }

    /**
     * Which of {@code userIds} are members of the conversation now, in the order given: for a
     * module that acts through accounts of its own there (the bots a slash command may reach).
     */
    @Transactional(readOnly = true)
    public List<UUID> membersAmong(ConversationId id, Collection<UUID> userIds) {
        return members.membersAmong(id.value(), List.copyOf(userIds));
    }

    @Transactional
    public List<MemberView> addMembers(UserId me, ConversationId id, Collection<UUID> userIds) {
        managedGroup(me, id);
        Set<UUID> invited = new LinkedHashSet<>(userIds);
        requireKnownUsers(invited);
        // Lock the conversation before inserting: two concurrent additions then queue instead of
        // deadlocking, and the size and archive checks below see the committed state.
        long seq = conversations.lockedLastSeq(id.value());
        ConversationRow current = conversations.find(id.value()).orElseThrow();
        if (current.archived()) {
            throw archived();
        }
        requireRoomFor(current.memberCount() + invited.size());
        changes.join(id.value(), invited, MemberRole.MEMBER, me, clock.instant(), seq, Notice.MEMBERS);
        return members(me, id);
    }

    /**
     * Removes a member, or, when {@code target} is the caller, leaves. Owners and admins remove
     * members; only the owner removes an admin; the owner hands ownership on before leaving.
     */
    @Transactional
    public void removeMember(UserId me, ConversationId id, UserId target) {
        boolean leaving = me.equals(target);
        // Anyone may still leave an archived group; nobody is removed from one.
        ViewerRow row = anyGroup(me, id);
        if (row.conversation().archived() && !leaving) {
            throw archived();
        }
        // Both roles are read under the rows' locks (taken in the send's order): a hand-over or
        // demotion committing meanwhile cannot let a former admin remove someone, or remove
        // the member who just became owner.
        members.lockMembers(id.value(), List.of(me.value(), target.value()));
        MemberRole myRole = members.role(id.value(), me.value()).orElseThrow(() -> notVisible(id));
        MemberRole targetRole = members.role(id.value(), target.value()).orElseThrow(() ->
                ChorusProblem.notFound(ChatProblems.MEMBER_NOT_FOUND, "That user is not a member of this conversation."));
        if (leaving && GroupPermissions.mustHandOverBeforeLeaving(targetRole, row.conversation().memberCount())) {
            throw ChorusProblem.conflict(ChatProblems.OWNER_MUST_TRANSFER,
                    "Make another member the owner before leaving.");
        }
        if (!leaving && !GroupPermissions.mayRemove(myRole, targetRole)) {
            throw ChorusProblem.forbidden(ChatProblems.NOT_ALLOWED, "You may not remove this member.");
        }
        // A concurrent removal (leaving while being removed) that deleted the row first wins.
        List<UUID> removed = changes.remove(id.value(), Map.of(target.value(), targetRole),
                leaving ? MembershipChangeKind.LEFT : MembershipChangeKind.REMOVED, me, clock.instant());
        if (removed.isEmpty()) {
            throw ChorusProblem.notFound(ChatProblems.MEMBER_NOT_FOUND, "That user is not a member of this conversation.");
        }
    }

    /** Owner only. Making someone else OWNER hands ownership over; the former owner becomes an admin. */
    @Transactional
    public MemberView changeRole(UserId me, ConversationId id, UserId target, MemberRole role) {
        group(me, id);
        // Member rows first, then the conversation: a concurrent send by either takes them in
        // that order too. The caller's role is read under its row lock, so two hand-overs at
        // once cannot both see the caller as owner and leave the group with two owners.
        members.lockMembers(id.value(), List.of(me.value(), target.value()));
        long seq = conversations.lockedLastSeq(id.value());
        MemberRole myRole = members.role(id.value(), me.value()).orElse(null);
        if (myRole == null || !GroupPermissions.mayChangeRoles(myRole)) {
            throw ChorusProblem.forbidden(ChatProblems.NOT_ALLOWED, "Only the group's owner may change roles.");
        }
        MemberRole current = members.role(id.value(), target.value()).orElseThrow(() ->
                ChorusProblem.notFound(ChatProblems.MEMBER_NOT_FOUND, "That user is not a member of this conversation."));
        Instant now = clock.instant();
        GroupPermissions.roleChanges(me.value(), target.value(), current, role).forEach((user, newRole) ->
                changes.changeRole(id.value(), user, newRole, me, now, seq));
        return memberView(me, id, target);
    }

    /** Moves the caller's read cursor forward to {@code seq} and tells the other members. */
    @Transactional
    public ConversationView markRead(UserId me, ConversationId id, long seq) {
        ViewerRow row = member(me, id);
        if (seq < 0 || seq > row.conversation().lastSeq()) {
            throw ChorusProblem.unprocessable(ChatProblems.SEQ_OUT_OF_RANGE,
                    "seq must be between 0 and the conversation's last seq (" + row.conversation().lastSeq() + ").");
        }
        long readSeq = members.advanceRead(id.value(), me.value(), seq);
        if (readSeq != row.readSeq()) {
            events.publishEvent(LiveDelivery.toMembers(id.value(),
                    new LiveEvent.ReadUpdated(id.value(), me.value(), readSeq)));
        }
        return viewFor(me, id.value());
    }

    /** Tells the other members' open sessions that the caller is typing; nothing is stored. */
    public void typing(UserId me, ConversationId id) {
        member(me, id);
        List<UUID> others = members.recipients(id.value()).stream().filter(user -> !user.equals(me.value())).toList();
        events.publishEvent(LiveDelivery.toUsers(id.value(), others, new LiveEvent.Typing(id.value(), me.value())));
    }

    /** The caller's membership, or the reason they have none. */
    ViewerRow member(UserId me, ConversationId id) {
        return conversations.findFor(me.value(), id.value()).orElseThrow(() -> notVisible(id));
    }

    /** Why the caller cannot see this conversation: it does not exist, or they are not in it. */
    ChorusProblem notVisible(ConversationId id) {
        return conversations.find(id.value()).isPresent()
                ? ChorusProblem.forbidden(ChatProblems.NOT_A_MEMBER, "You are not a member of this conversation.")
                : ChorusProblem.notFound(ChatProblems.CONVERSATION_NOT_FOUND, "No such conversation.");
    }

    /**
     * A project group the caller belongs to, archived or not: the only kind whose members, roles
     * and name are managed by hand. A department group follows the org chart instead.
     */
    private ViewerRow anyGroup(UserId me, ConversationId id) {
        ViewerRow row = member(me, id);
        return switch (row.conversation().kind()) {
            case DIRECT -> throw ChorusProblem.unprocessable(ChatProblems.NOT_A_GROUP,
                    "Direct chats have no members to manage.");
            case DEPARTMENT -> throw ChorusProblem.conflict(ChatProblems.DEPARTMENT_GROUP_MANAGED,
                    "This department group follows the org chart; change the department instead.");
            case GROUP -> row;
        };
    }

    /** A group the caller belongs to that still takes changes. */
    private ViewerRow group(UserId me, ConversationId id) {
        ViewerRow row = anyGroup(me, id);
        if (row.conversation().archived()) {
            throw archived();
        }
        return row;
    }

    /** The refusal for any change to an archived group. */
    static ChorusProblem archived() {
        return ChorusProblem.conflict(ChatProblems.CONVERSATION_ARCHIVED, "This group is archived.");
    }

    private ViewerRow managedGroup(UserId me, ConversationId id) {
        ViewerRow row = group(me, id);
        if (!GroupPermissions.mayManage(row.role())) {
            throw ChorusProblem.forbidden(ChatProblems.NOT_ALLOWED, "Only the group's owner and admins may do this.");
        }
        return row;
    }

    private void requireRoomFor(int memberCount) {
        if (memberCount > properties.maxGroupSize()) {
            throw ChorusProblem.unprocessable(ChatProblems.GROUP_TOO_LARGE,
                    "A group may have at most " + properties.maxGroupSize() + " members.");
        }
    }

    private MemberView memberView(UserId me, ConversationId id, UserId target) {
        return members(me, id).stream().filter(member -> member.userId().equals(target.value())).findFirst()
                .orElseThrow();
    }

    private void requireKnownUsers(Collection<UUID> userIds) {
        Map<UserId, UserProfile> known = users.findAll(userIds.stream().map(UserId::of).toList());
        List<UUID> unknown = userIds.stream()
                .filter(user -> !known.containsKey(UserId.of(user)) || !known.get(UserId.of(user)).active())
                .toList();
        if (!unknown.isEmpty()) {
            throw ChorusProblem.unprocessable(ChatProblems.UNKNOWN_USER, "Unknown or inactive users: " + unknown);
        }
    }

    private ConversationView viewFor(UserId me, UUID id) {
        return view(me, member(me, ConversationId.of(id)));
    }

    private ConversationView view(UserId me, ViewerRow row) {
        return views.conversation(row, me.value());
    }

    private static String validName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME_LENGTH) {
            throw ChorusProblem.badRequest(io.chorus.platform.ProblemCodes.VALIDATION_FAILED,
                    "A group name has 1 to " + MAX_NAME_LENGTH + " characters.");
        }
        return trimmed;
    }
}
