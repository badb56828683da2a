package io.chorus.org;

import java.util.List;
import java.util.UUID;

/**
 * A directory entry: the user's profile, their departments (primary first) and their explicit
 * manager, if any (otherwise the manager chain goes through department heads).
 */
public record Employee(UUID userId, String username, String displayName, String email, boolean active,
        UUID managerId, List<Membership> departments) {

    public record Membership(UUID departmentId, String departmentName, String title, boolean primary) {
    }
}
