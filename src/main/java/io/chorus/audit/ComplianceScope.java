package io.chorus.audit;

import java.util.Set;
import java.util.UUID;

/**
 * What a compliance officer may see: everything, or only what involves the members of some
 * departments (sub-departments included). Resolved against the org chart when a query starts,
 * so it follows people who move.
 */
public record ComplianceScope(boolean unscoped, Set<UUID> departmentIds, Set<UUID> userIds) {

    public ComplianceScope {
        departmentIds = Set.copyOf(departmentIds);
        userIds = Set.copyOf(userIds);
    }

    public static ComplianceScope everything() {
        return new ComplianceScope(true, Set.of(), Set.of());
    }

    public boolean covers(UUID user) {
        return unscoped || userIds.contains(user);
    }
}
