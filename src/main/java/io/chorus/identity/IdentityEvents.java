package io.chorus.identity;

/** What happens to user accounts, for modules that keep copies (the org directory) or sessions (chat). */
public final class IdentityEvents {

    private IdentityEvents() {
    }

    /**
     * An account was created, or its profile or active flag changed. Carries the whole new state
     * and its {@code version}, which grows with every change: a copy keeps the highest it saw.
     */
    public record UserAccountChanged(UserId userId, String username, String displayName, String email,
            boolean active, long version) {
    }

    /** The account may no longer sign in: its live sessions end, its history stays. */
    public record UserDeactivated(UserId userId) {
    }

    /** A deactivated account may sign in again. */
    public record UserReactivated(UserId userId) {
    }
}
