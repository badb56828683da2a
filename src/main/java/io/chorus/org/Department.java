package io.chorus.org;

import io.chorus.identity.UserId;
import java.util.List;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * One department: its place in the tree, its heads (longest-serving first) and whether
 * directory sync owns it (then it mirrors a Keycloak group). In JSON every id is its plain
 * UUID string; the heads are written through {@code UserId.toString()} because UserId's own
 * JSON form is also that of stored event publications, which must stay readable.
 */
public record Department(DepartmentId id, String name, DepartmentId parentId, int sortOrder,
        @JsonSerialize(contentUsing = ToStringSerializer.class) List<UserId> heads, boolean synced) {

    public Department {
        heads = List.copyOf(heads);
    }
}
