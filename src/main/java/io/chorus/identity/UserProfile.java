package io.chorus.identity;

/** What other modules may know of a user. */
public record UserProfile(UserId id, String username, String displayName, String email, boolean active) {
}
