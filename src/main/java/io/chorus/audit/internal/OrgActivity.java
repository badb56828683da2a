package io.chorus.audit.internal;

import io.chorus.identity.UserId;
import io.chorus.org.OrgEvents;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Org chart changes, as audit entries; {@code by} null (directory sync) is recorded as the system. */
@Component
class OrgActivity {

    private static final String DEPARTMENT = "DEPARTMENT";
    private static final String USER = "USER";

    private final ActivityLog log;

    OrgActivity(ActivityLog log) {
        this.log = log;
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentCreated e) {
        log.record(department("org.department_created", e, e.departmentId().value(), e.by(), e.at())
                .detail("name", e.name()).detail("parentId", e.parentId() == null ? null : e.parentId().toString()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentRenamed e) {
        log.record(department("org.department_renamed", e, e.departmentId().value(), e.by(), e.at())
                .detail("oldName", e.oldName()).detail("newName", e.newName()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentMoved e) {
        log.record(department("org.department_moved", e, e.departmentId().value(), e.by(), e.at())
                .detail("oldParentId", e.oldParentId() == null ? null : e.oldParentId().toString())
                .detail("newParentId", e.newParentId() == null ? null : e.newParentId().toString()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentDeleted e) {
        log.record(department("org.department_deleted", e, e.departmentId().value(), e.by(), e.at())
                .detail("name", e.name()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.DepartmentHeadsChanged e) {
        log.record(department("org.department_heads_changed", e, e.departmentId().value(), e.by(), e.at())
                .detail("heads", e.heads().stream().map(head -> head.value().toString()).toList()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.EmployeeJoinedDepartment e) {
        log.record(employee("org.employee_joined_department", e, e.userId(), e.by(), e.at())
                .department(e.departmentId().value()).detail("title", e.title()).detail("primary", e.primary()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.EmployeeMembershipChanged e) {
        log.record(employee("org.employee_membership_changed", e, e.userId(), e.by(), e.at())
                .department(e.departmentId().value()).detail("title", e.title()).detail("primary", e.primary()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.EmployeeLeftDepartment e) {
        log.record(employee("org.employee_left_department", e, e.userId(), e.by(), e.at())
                .department(e.departmentId().value()));
    }

    @ApplicationModuleListener
    void on(OrgEvents.ManagerChanged e) {
        log.record(employee("org.manager_changed", e, e.userId(), e.by(), e.at())
                .detail("oldManagerId", e.oldManagerId()).detail("newManagerId", e.newManagerId()));
    }

    private static Activity department(String action, Object event, java.util.UUID id, UserId by,
            java.time.Instant at) {
        return Activity.of(action, event).at(at).by(by).target(DEPARTMENT, id).department(id);
    }

    private static Activity employee(String action, Object event, UserId user, UserId by, java.time.Instant at) {
        return Activity.of(action, event).at(at).by(by).target(USER, user.value());
    }
}
