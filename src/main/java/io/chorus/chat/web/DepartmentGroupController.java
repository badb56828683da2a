package io.chorus.chat.web;

import io.chorus.chat.DepartmentGroups;
import io.chorus.chat.DepartmentGroups.DepartmentGroupView;
import io.chorus.identity.CurrentUser;
import io.chorus.org.DepartmentId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Department groups are made by org_admins; their members then come from the org chart. */
@RestController
@RequestMapping("/api/v1/department-groups")
@PreAuthorize("hasRole('org_admin')")
class DepartmentGroupController {

    private final DepartmentGroups departmentGroups;

    DepartmentGroupController(DepartmentGroups departmentGroups) {
        this.departmentGroups = departmentGroups;
    }

    record OpenDepartmentGroupRequest(@NotNull UUID departmentId, Boolean includeSubDepartments) {
    }

    /** 201 with the new group, or 200 with the department's existing one (its settings unchanged). */
    @PostMapping
    ResponseEntity<DepartmentGroupView> open(@AuthenticationPrincipal CurrentUser me,
            @Valid @RequestBody OpenDepartmentGroupRequest request) {
        var opened = departmentGroups.open(DepartmentId.of(request.departmentId()),
                Boolean.TRUE.equals(request.includeSubDepartments()), me.id());
        return ResponseEntity.status(opened.created() ? HttpStatus.CREATED : HttpStatus.OK).body(opened.group());
    }
}
