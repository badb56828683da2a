package io.chorus.org;

import java.util.List;
import java.util.UUID;

/** A department in the tree, with its heads, its own member count and its sub-departments in order. */
public record DepartmentNode(UUID id, String name, UUID parentId, int sortOrder, List<EmployeeSummary> heads,
        int memberCount, List<DepartmentNode> children) {
}
