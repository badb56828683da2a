package io.chorus.chat;

import io.chorus.chat.internal.ConversationStore;
import io.chorus.chat.internal.DepartmentGroupStore;
import io.chorus.chat.internal.DepartmentGroupStore.DepartmentGroupRow;
import io.chorus.chat.internal.DepartmentGroupSync;
import io.chorus.chat.internal.MembershipChanges;
import io.chorus.identity.UserId;
import io.chorus.org.Department;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgDirectory;
import io.chorus.org.OrgProblems;
import io.chorus.platform.ChorusProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Department groups: one group per department whose members are the department's active
 * members (optionally with its sub-departments) plus its heads, who are the group's admins.
 * Nobody manages them by hand: {@link DepartmentGroupSync} keeps them in line with the org chart.
 */
@Service
public class DepartmentGroups {

    private final ConversationStore conversations;
    private final DepartmentGroupStore groups;
    private final DepartmentGroupSync sync;
    private final OrgDirectory org;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    DepartmentGroups(ConversationStore conversations, DepartmentGroupStore groups, DepartmentGroupSync sync,
            OrgDirectory org, ApplicationEventPublisher events, Clock clock) {
        this.conversations = conversations;
        this.groups = groups;
        this.sync = sync;
        this.org = org;
        this.events = events;
        this.clock = clock;
    }

    public record DepartmentGroupView(UUID conversationId, UUID departmentId, String name,
            boolean includeSubDepartments, int memberCount) {
    }

    /** The department's group, and whether this call created it. */
    public record Opened(DepartmentGroupView group, boolean created) {
    }

    /**
     * The department's group, created (with its members) on first request. A department has
     * at most one group; asking again returns it as it is.
     */
    @Transactional
    public Opened open(DepartmentId departmentId, boolean includeSubDepartments, UserId by) {
        Department department = org.department(departmentId).orElseThrow(() ->
                ChorusProblem.notFound(OrgProblems.DEPARTMENT_NOT_FOUND, "No such department."));
        groups.lockDepartment(departmentId.value());
        var existing = groups.ofDepartment(departmentId.value());
        if (existing.isPresent()) {
            return new Opened(view(existing.get()), false);
        }
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        conversations.insert(id, ConversationKind.DEPARTMENT, department.name(), null,
                by == null ? MembershipChanges.ORG_CHART : by.value(), now);
        groups.insertIfAbsent(id, departmentId.value(), includeSubDepartments);
        events.publishEvent(new ChatEvents.ConversationCreated(ConversationId.of(id), ConversationKind.DEPARTMENT,
                department.name(), by, now));
        DepartmentGroupRow group = groups.ofDepartment(departmentId.value()).orElseThrow();
        sync.follow(group);
        return new Opened(view(group), true);
    }

    private DepartmentGroupView view(DepartmentGroupRow group) {
        var row = conversations.find(group.conversationId()).orElseThrow();
        return new DepartmentGroupView(group.conversationId(), group.departmentId(), row.name(),
                group.includeSubDepartments(), row.memberCount());
    }
}
