package io.chorus.chat.internal;

import io.chorus.chat.ChatEvents;
import io.chorus.chat.ConversationId;
import io.chorus.chat.LiveDelivery;
import io.chorus.chat.LiveEvent;
import io.chorus.chat.MemberRole;
import io.chorus.chat.internal.DepartmentGroupStore.DepartmentGroupRow;
import io.chorus.chat.internal.MembershipChanges.Notice;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.identity.UserProfile;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Brings department groups in line with the org chart: members are the department's active
 * members (optionally with its sub-departments) plus its heads, who are the group's admins.
 * Every method re-reads the org chart and is idempotent, so replaying an org event changes
 * nothing.
 */
@Service
public class DepartmentGroupSync {

    private final ConversationStore conversations;
    private final MemberStore members;
    private final MembershipChanges changes;
    private final OrgDirectory org;
    private final UserDirectory users;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DepartmentGroupSync(ConversationStore conversations, MemberStore members, MembershipChanges changes,
            OrgDirectory org, UserDirectory users, ApplicationEventPublisher events, Clock clock) {
        this.conversations = conversations;
        this.members = members;
        this.changes = changes;
        this.org = org;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    /** Brings the whole group in line with its department. */
    @Transactional
    public void follow(DepartmentGroupRow group) {
        DepartmentId department = DepartmentId.of(group.departmentId());
        if (!following(group, department)) {
            return;
        }
        Set<UUID> candidates = new HashSet<>(members.memberIds(group.conversationId()));
        Set<UUID> inDepartment = new HashSet<>();
        org.memberIds(department, group.includeSubDepartments()).forEach(user -> inDepartment.add(user.value()));
        Set<UUID> heads = new HashSet<>();
        org.heads(department).forEach(head -> heads.add(head.value()));
        candidates.addAll(inDepartment);
        candidates.addAll(heads);
        apply(group, wantedRoles(candidates, inDepartment::contains, heads));
    }

    /** Brings one user's place in the group in line with the org chart. */
    @Transactional
    public void follow(DepartmentGroupRow group, UserId user) {
        DepartmentId department = DepartmentId.of(group.departmentId());
        if (!following(group, department)) {
            return;
        }
        boolean inDepartment = org.isMember(user, department, group.includeSubDepartments());
        Set<UUID> heads = new HashSet<>();
        org.heads(department).forEach(head -> heads.add(head.value()));
        apply(group, wantedRoles(Set.of(user.value()), candidate -> inDepartment, heads));
    }

    /**
     * Whether the group still follows its department. A department deleted meanwhile (its
     * DepartmentDeleted listener archives the group) has nothing left to follow.
     */
    private boolean following(DepartmentGroupRow group, DepartmentId department) {
        return !group.archived() && org.department(department).isPresent();
    }

    /** Everyone's wanted role: a head is an admin, a member a member, anyone else or inactive is out (null). */
    private Map<UUID, MemberRole> wantedRoles(Set<UUID> candidates, Predicate<UUID> inDepartment,
            Set<UUID> heads) {
        Map<UserId, UserProfile> profiles = users.findAll(candidates.stream().map(UserId::of).toList());
        Map<UUID, MemberRole> wanted = new HashMap<>();
        for (UUID candidate : candidates) {
            UserProfile profile = profiles.get(UserId.of(candidate));
            boolean active = profile != null && profile.active();
            MemberRole role = !active ? null
                    : heads.contains(candidate) ? MemberRole.ADMIN
                    : inDepartment.test(candidate) ? MemberRole.MEMBER
                    : null;
            wanted.put(candidate, role);
        }
        return wanted;
    }

    private void apply(DepartmentGroupRow group, Map<UUID, MemberRole> wanted) {
        UUID conversation = group.conversationId();
        Map<UUID, MemberRole> current = new HashMap<>();
        members.rolesAmong(conversation, wanted.keySet()).forEach(current::put);
        Map<UUID, MemberRole> leaving = new LinkedHashMap<>();
        List<UUID> changing = new ArrayList<>();
        Map<MemberRole, List<UUID>> joining = new HashMap<>();
        wanted.forEach((user, role) -> {
            MemberRole now = current.get(user);
            if (role == null && now != null) {
                leaving.put(user, now);
            } else if (role != null && now == null) {
                joining.computeIfAbsent(role, key -> new ArrayList<>()).add(user);
            } else if (role != null && role != now) {
                changing.add(user);
            }
        });
        if (leaving.isEmpty() && changing.isEmpty() && joining.isEmpty()) {
            return;
        }
        // Member rows, then the conversation row: the order every send takes them in.
        Set<UUID> locked = new LinkedHashSet<>(leaving.keySet());
        locked.addAll(changing);
        members.lockMembers(conversation, locked);
        long seq = conversations.lockedLastSeq(conversation);
        Instant now = clock.instant();
        // A concurrent follow may have removed some first; only the one that did counts them.
        changes.remove(conversation, leaving, MembershipChangeKind.REMOVED, null, now);
        for (UUID user : changing) {
            changes.changeRole(conversation, user, Objects.requireNonNull(wanted.get(user)), null, now, seq);
        }
        joining.forEach((role, users) -> changes.join(conversation, users, role, null, now, seq, Notice.MEMBERS));
    }

    /** The department was renamed: so is its group. */
    @Transactional
    public void rename(DepartmentGroupRow group, String name) {
        ConversationId id = ConversationId.of(group.conversationId());
        var row = conversations.find(group.conversationId()).orElseThrow();
        if (!row.name().equals(name)) {
            conversations.rename(group.conversationId(), name);
            events.publishEvent(new ChatEvents.ConversationRenamed(id, row.name(), name, null, clock.instant()));
            events.publishEvent(LiveDelivery.toMembers(group.conversationId(),
                    new LiveEvent.ConversationUpdated(group.conversationId(), name, row.archived())));
        }
    }

    /** The department is gone: its group stays readable, archived, and follows nothing any more. */
    @Transactional
    public void archive(DepartmentGroupRow group) {
        var row = conversations.find(group.conversationId()).orElseThrow();
        if (!row.archived()) {
            conversations.archive(group.conversationId());
            events.publishEvent(new ChatEvents.ConversationArchived(ConversationId.of(group.conversationId()), null,
                    clock.instant()));
            events.publishEvent(LiveDelivery.toMembers(group.conversationId(),
                    new LiveEvent.ConversationUpdated(group.conversationId(), row.name(), true)));
        }
    }

}
