package io.chorus.org;

import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.List;

/**
 * Every change to the org chart, published in the transaction that makes it. {@code by} is the
 * org_admin who made the change, or null when directory sync did.
 */
public final class OrgEvents {

    private OrgEvents() {
    }

    public record DepartmentCreated(DepartmentId departmentId, String name, DepartmentId parentId, UserId by,
            Instant at) {
    }

    public record DepartmentRenamed(DepartmentId departmentId, String oldName, String newName, UserId by,
            Instant at) {
    }

    /** A subtree moved: every department below {@code departmentId} moved with it. */
    public record DepartmentMoved(DepartmentId departmentId, DepartmentId oldParentId, DepartmentId newParentId,
            UserId by, Instant at) {
    }

    public record DepartmentDeleted(DepartmentId departmentId, String name, UserId by, Instant at) {
    }

    public record DepartmentHeadsChanged(DepartmentId departmentId, List<UserId> heads, UserId by, Instant at) {
    }

    public record EmployeeJoinedDepartment(UserId userId, DepartmentId departmentId, String title, boolean primary,
            UserId by, Instant at) {
    }

    /** The title or the primary flag of an existing membership changed. */
    public record EmployeeMembershipChanged(UserId userId, DepartmentId departmentId, String title,
            boolean primary, UserId by, Instant at) {
    }

    public record EmployeeLeftDepartment(UserId userId, DepartmentId departmentId, UserId by, Instant at) {
    }

    /** The explicit manager changed; null means "the head of my department" again. */
    public record ManagerChanged(UserId userId, UserId oldManagerId, UserId newManagerId, UserId by, Instant at) {
    }
}
