package io.chorus.org;

import java.util.UUID;

/** A member of a department (or of one of its sub-departments, then {@code departmentId} says which). */
public record DepartmentMember(UUID userId, String username, String displayName, UUID departmentId, String title,
        boolean primary) {
}
