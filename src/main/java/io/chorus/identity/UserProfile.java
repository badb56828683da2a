package io.chorus.identity;

/**
 * What other modules may know of a user. A {@code bot} is a system account (the approvals bot,
 * later integration bots): it can send messages but never signs in and is nobody's employee.
 */
public record UserProfile(UserId id, String username, String displayName, String email, boolean active, boolean bot) {
}
