package io.chorus.org;

import io.chorus.identity.UserId;
import java.util.List;

/**
 * One department: its place in the tree, its heads (longest-serving first) and whether
 * directory sync owns it (then it mirrors a Keycloak group).
 */
public record Department(DepartmentId id, String name, DepartmentId parentId, int sortOrder, List<UserId> heads,
        boolean synced) {

    public Department {
        heads = List.copyOf(heads);
    }
}
