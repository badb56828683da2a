package io.chorus.audit.web;

import io.chorus.audit.ComplianceScopes;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which departments a compliance officer is limited to; set by an org_admin. */
@RestController
@RequestMapping("/api/v1/audit/officers/{officerId}/scope")
class OfficerScopeController {

    private final ComplianceScopes scopes;

    OfficerScopeController(ComplianceScopes scopes) {
        this.scopes = scopes;
    }

    /** An empty list means unscoped: the officer sees everything. */
    record OfficerScope(UUID officerId, boolean scoped, List<UUID> departmentIds) {
    }

    record SetOfficerScope(@NotNull @Size(max = 500) List<@NotNull UUID> departmentIds) {
    }

    @GetMapping
    @PreAuthorize("hasRole('org_admin') or (hasRole('compliance_officer') and #officerId == principal.id().value())")
    OfficerScope get(@PathVariable UUID officerId) {
        List<UUID> departments = scopes.departmentsOf(UserId.of(officerId));
        return new OfficerScope(officerId, !departments.isEmpty(), departments);
    }

    @PutMapping
    @PreAuthorize("hasRole('org_admin')")
    OfficerScope set(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID officerId,
            @Valid @RequestBody SetOfficerScope request, HttpServletRequest http) {
        List<UUID> departments = scopes.set(me, UserId.of(officerId), new LinkedHashSet<>(request.departmentIds()),
                http.getRemoteAddr());
        return new OfficerScope(officerId, !departments.isEmpty(), departments);
    }
}
