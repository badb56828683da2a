package io.chorus.audit;

import io.chorus.audit.internal.Activity;
import io.chorus.audit.internal.ActivityLog;
import io.chorus.audit.internal.OfficerScopeStore;
import io.chorus.identity.CurrentUser;
import io.chorus.identity.UserDirectory;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgDirectory;
import io.chorus.platform.ChorusProblem;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Limits compliance officers to departments. An org_admin sets the scope; a query resolves it
 * against the org chart as it is at that moment, sub-departments included. An officer whose
 * scoped departments were all deleted sees nothing, never everything.
 */
@Service
public class ComplianceScopes {

    private final OfficerScopeStore store;
    private final OrgDirectory org;
    private final UserDirectory users;
    private final ActivityLog activity;
    private final Clock clock;

    ComplianceScopes(OfficerScopeStore store, OrgDirectory org, UserDirectory users, ActivityLog activity,
            Clock clock) {
        this.store = store;
        this.org = org;
        this.users = users;
        this.activity = activity;
        this.clock = clock;
    }

    /** The departments the officer is limited to; empty when unscoped. */
    @Transactional(readOnly = true)
    public List<UUID> departmentsOf(UserId officer) {
        return store.departmentsOf(officer.value());
    }

    /** What the officer may see right now. */
    @Transactional(readOnly = true)
    public ComplianceScope of(UserId officer) {
        List<UUID> scoped = store.departmentsOf(officer.value());
        if (scoped.isEmpty()) {
            return ComplianceScope.everything();
        }
        Set<UUID> departments = new HashSet<>();
        Set<UUID> members = new HashSet<>();
        for (UUID department : scoped) {
            if (org.department(DepartmentId.of(department)).isEmpty()) {
                continue; // deleted since: it grants nothing
            }
            org.scope(DepartmentId.of(department), true).forEach(id -> departments.add(id.value()));
            org.memberIds(DepartmentId.of(department), true).forEach(id -> members.add(id.value()));
        }
        return new ComplianceScope(false, departments, members);
    }

    /** Limits {@code officer} to {@code departments}; an empty set lifts the limit. */
    @Transactional
    public List<UUID> set(CurrentUser by, UserId officer, Set<UUID> departments, String sourceIp) {
        if (users.find(officer).isEmpty()) {
            throw ChorusProblem.notFound(AuditProblems.OFFICER_NOT_FOUND, "No user has this id.");
        }
        Set<UUID> wanted = new LinkedHashSet<>(departments);
        for (UUID department : wanted) {
            if (org.department(DepartmentId.of(department)).isEmpty()) {
                throw new ChorusProblem(HttpStatus.UNPROCESSABLE_CONTENT, AuditProblems.SCOPE_DEPARTMENT_NOT_FOUND,
                        "Department " + department + " does not exist.");
            }
        }
        List<UUID> before = store.departmentsOf(officer.value());
        store.replace(officer.value(), wanted, by.id().value(), clock.instant());
        activity.record(Activity.of("audit.officer_scope_changed", "scope:" + UUID.randomUUID()).by(by.id())
                .target("USER", officer.value()).from(sourceIp, null)
                .detail("oldDepartmentIds", before.stream().map(UUID::toString).toList())
                .detail("newDepartmentIds", wanted.stream().map(UUID::toString).toList()));
        return store.departmentsOf(officer.value());
    }
}
