package io.chorus.org.web;

import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserId;
import io.chorus.org.Department;
import io.chorus.org.DepartmentId;
import io.chorus.org.DepartmentMember;
import io.chorus.org.DepartmentNode;
import io.chorus.org.Employee;
import io.chorus.org.OrgChart;
import io.chorus.org.OrgDirectory;
import io.chorus.org.OrgDirectory.MemberCursor;
import io.chorus.org.OrgProblems;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.PageCursor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The department tree: every employee reads it, org_admins change it. */
@RestController
@RequestMapping("/api/v1/org/departments")
@PreAuthorize("hasRole('employee')")
class DepartmentController {

    private final OrgDirectory directory;
    private final OrgChart chart;

    DepartmentController(OrgDirectory directory, OrgChart chart) {
        this.directory = directory;
        this.chart = chart;
    }

    record DepartmentTree(List<DepartmentNode> departments) {
    }

    record CreateDepartmentRequest(@NotNull @Size(min = 1, max = 100) String name, UUID parentId,
            @Min(-1_000_000) @Max(1_000_000) Integer sortOrder) {
    }

    record UpdateDepartmentRequest(@Size(min = 1, max = 100) String name,
            @Min(-1_000_000) @Max(1_000_000) Integer sortOrder) {
    }

    /** {@code parentId} null moves the department to the top level. */
    record MoveDepartmentRequest(UUID parentId, @Min(-1_000_000) @Max(1_000_000) Integer sortOrder) {
    }

    record SetHeadsRequest(@NotNull @Size(max = 20) List<@NotNull UUID> userIds) {
    }

    record SetMembershipRequest(@Size(max = 100) String title, Boolean primary) {
    }

    record MemberList(List<DepartmentMember> items, String nextCursor) {
    }

    @GetMapping
    DepartmentTree tree() {
        return new DepartmentTree(directory.tree());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('org_admin')")
    Department create(@AuthenticationPrincipal CurrentUser me, @Valid @RequestBody CreateDepartmentRequest request) {
        return chart.createDepartment(request.name(), request.parentId() == null ? null : DepartmentId.of(request.parentId()),
                request.sortOrder() == null ? 0 : request.sortOrder(), null, me.id());
    }

    @GetMapping("/{departmentId}")
    Department get(@PathVariable UUID departmentId) {
        return directory.department(DepartmentId.of(departmentId)).orElseThrow(() ->
                ChorusProblem.notFound(OrgProblems.DEPARTMENT_NOT_FOUND, "No such department."));
    }

    /** Renames and/or reorders among its siblings. */
    @PatchMapping("/{departmentId}")
    @PreAuthorize("hasRole('org_admin')")
    Department update(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID departmentId,
            @Valid @RequestBody UpdateDepartmentRequest request) {
        DepartmentId id = DepartmentId.of(departmentId);
        Department department = directory.department(id).orElse(null);
        if (request.name() != null) {
            department = chart.renameDepartment(id, request.name(), me.id());
        }
        if (request.sortOrder() != null) {
            department = chart.moveDepartment(id, department == null ? null : department.parentId(), request.sortOrder(),
                    me.id());
        }
        return department != null ? department : get(departmentId);
    }

    /** Moves the department and its whole subtree in one step. */
    @PostMapping("/{departmentId}/move")
    @PreAuthorize("hasRole('org_admin')")
    Department move(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID departmentId,
            @Valid @RequestBody MoveDepartmentRequest request) {
        return chart.moveDepartment(DepartmentId.of(departmentId),
                request.parentId() == null ? null : DepartmentId.of(request.parentId()), request.sortOrder(), me.id());
    }

    @DeleteMapping("/{departmentId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('org_admin')")
    void delete(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID departmentId) {
        chart.deleteDepartment(DepartmentId.of(departmentId), me.id());
    }

    @PutMapping("/{departmentId}/heads")
    @PreAuthorize("hasRole('org_admin')")
    Department setHeads(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID departmentId,
            @Valid @RequestBody SetHeadsRequest request) {
        return chart.setHeads(DepartmentId.of(departmentId), request.userIds().stream().map(UserId::of).toList(), me.id());
    }

    @GetMapping("/{departmentId}/members")
    MemberList members(@PathVariable UUID departmentId,
            @RequestParam(defaultValue = "false") boolean includeSubDepartments,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        var page = directory.members(DepartmentId.of(departmentId), includeSubDepartments, decode(cursor), limit);
        return new MemberList(page.items(), page.next() == null ? null
                : PageCursor.encode(page.next().username(), page.next().userId().toString()));
    }

    /** Adds the user to the department (201) or changes their title or primary flag (200). */
    @PutMapping("/{departmentId}/members/{userId}")
    @PreAuthorize("hasRole('org_admin')")
    ResponseEntity<Employee.Membership> setMembership(@AuthenticationPrincipal CurrentUser me,
            @PathVariable UUID departmentId, @PathVariable UUID userId,
            @Valid @RequestBody SetMembershipRequest request) {
        var change = chart.setMembership(UserId.of(userId), DepartmentId.of(departmentId), request.title(),
                request.primary(), me.id());
        return ResponseEntity.status(change.joined() ? HttpStatus.CREATED : HttpStatus.OK).body(change.membership());
    }

    @DeleteMapping("/{departmentId}/members/{userId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('org_admin')")
    void removeMembership(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID departmentId,
            @PathVariable UUID userId) {
        chart.removeMembership(UserId.of(userId), DepartmentId.of(departmentId), me.id());
    }

    private static MemberCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        List<String> parts = PageCursor.decode(cursor, 2);
        try {
            return new MemberCursor(parts.get(0), UUID.fromString(parts.get(1)));
        } catch (IllegalArgumentException malformed) {
            throw PageCursor.malformed();
        }
    }
}
