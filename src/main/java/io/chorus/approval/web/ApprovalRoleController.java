package io.chorus.approval.web;

import io.chorus.approval.ApprovalRoles;
import io.chorus.identity.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Approval roles (角色) such as "HR": employees may see who holds them, since flows route to
 * them; org_admins keep them.
 */
@RestController
@RequestMapping("/api/v1/approvals/roles")
@PreAuthorize("hasRole('employee')")
class ApprovalRoleController {

    private final ApprovalRoles roles;
    private final ApprovalBodies bodies;

    ApprovalRoleController(ApprovalRoles roles, ApprovalBodies bodies) {
        this.roles = roles;
        this.bodies = bodies;
    }

    /** The whole role: its name and every holder ({@code holderIds} replaces the holders). */
    record RoleRequest(@NotNull String name, @NotNull List<@NotNull UUID> holderIds) {
    }

    record Role(UUID id, String name, List<UUID> holderIds) {
    }

    record RoleList(List<Role> items) {
    }

    @GetMapping
    RoleList list() {
        return new RoleList(roles.list().stream().map(bodies::role).toList());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('org_admin')")
    Role create(@AuthenticationPrincipal CurrentUser me, @Valid @RequestBody RoleRequest request) {
        return bodies.role(roles.create(me, request.name(), request.holderIds()));
    }

    @GetMapping("/{roleId}")
    Role get(@PathVariable UUID roleId) {
        return bodies.role(roles.get(roleId));
    }

    @PutMapping("/{roleId}")
    @PreAuthorize("hasRole('org_admin')")
    Role update(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID roleId,
            @Valid @RequestBody RoleRequest request) {
        return bodies.role(roles.update(me, roleId, request.name(), request.holderIds()));
    }

    /** Flows that route to a deleted role escalate as for a node that resolves to nobody. */
    @DeleteMapping("/{roleId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('org_admin')")
    void delete(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID roleId) {
        roles.delete(me, roleId);
    }
}
