package io.chorus.chat.internal;

import io.chorus.chat.DepartmentGroups;
import io.chorus.chat.internal.DepartmentGroupStore.DepartmentGroupRow;
import io.chorus.identity.IdentityEvents.UserDeactivated;
import io.chorus.identity.IdentityEvents.UserReactivated;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.Employee;
import io.chorus.org.OrgDirectory;
import io.chorus.org.OrgEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Keeps department groups in step with the org chart. Every handler re-reads the org chart's
 * current state instead of trusting the event's payload, so events may arrive twice or out of
 * order and the groups still end where the org chart is.
 */
@Component
class DepartmentGroupFollower {

    private final DepartmentGroups departmentGroups;
    private final DepartmentGroupSync sync;
    private final DepartmentGroupStore groups;
    private final OrgDirectory org;
    private final ChatProperties properties;

    DepartmentGroupFollower(DepartmentGroups departmentGroups, DepartmentGroupSync sync, DepartmentGroupStore groups,
            OrgDirectory org, ChatProperties properties) {
        this.departmentGroups = departmentGroups;
        this.sync = sync;
        this.groups = groups;
        this.org = org;
        this.properties = properties;
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentCreated created) {
        // A department deleted before this ran needs no group.
        if (properties.departmentGroups().createForEveryDepartment() && org.department(created.departmentId()).isPresent()) {
            departmentGroups.open(created.departmentId(), properties.departmentGroups().includeSubDepartments(), null);
        }
    }

    @ApplicationModuleListener
    void on(OrgEvents.EmployeeJoinedDepartment joined) {
        followUser(joined.userId(), List.of(joined.departmentId()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.EmployeeLeftDepartment left) {
        followUser(left.userId(), List.of(left.departmentId()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentHeadsChanged changed) {
        groups.ofDepartment(changed.departmentId().value()).ifPresent(sync::follow);
    }

    /** A moved subtree changes who is "below" every department above its old and new places. */
    @ApplicationModuleListener
    void on(OrgEvents.DepartmentMoved moved) {
        groups.includingSubDepartments().forEach(sync::follow);
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentRenamed renamed) {
        org.department(renamed.departmentId()).ifPresent(department ->
                groups.ofDepartment(department.id().value()).ifPresent(group ->
                        sync.rename(group, department.name())));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentDeleted deleted) {
        groups.ofDepartment(deleted.departmentId().value()).ifPresent(sync::archive);
    }

    @ApplicationModuleListener
    void on(UserDeactivated deactivated) {
        followUser(deactivated.userId(), List.of());
    }

    @ApplicationModuleListener
    void on(UserReactivated reactivated) {
        followUser(reactivated.userId(), List.of());
    }

    /**
     * Re-decides the user's place in every department group that could concern them: those
     * they are in now, and those covering their current departments and {@code alsoConsider}
     * (a department they just left).
     */
    private void followUser(UserId user, List<DepartmentId> alsoConsider) {
        // Sorted by conversation: each group's locks are held until commit, so two listeners
        // visiting the same groups must take them in the same order.
        Map<UUID, DepartmentGroupRow> concerned = new TreeMap<>();
        groups.joinedBy(user.value()).forEach(group -> concerned.put(group.conversationId(), group));
        List<DepartmentId> departments = new ArrayList<>(alsoConsider);
        org.departmentsOf(user).stream().map(Employee.Membership::departmentId).map(DepartmentId::of)
                .forEach(departments::add);
        for (DepartmentId department : departments) {
            List<UUID> path = org.pathToRoot(department).stream().map(DepartmentId::value).toList();
            if (!path.isEmpty()) {
                groups.covering(department.value(), path).forEach(group -> concerned.put(group.conversationId(), group));
            }
        }
        concerned.values().forEach(group -> sync.follow(group, user));
    }
}
