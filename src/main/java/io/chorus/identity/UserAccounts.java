package io.chorus.identity;

import java.util.List;

/**
 * Creates and retires accounts for users a directory knows before they ever sign in
 * (Keycloak sync), and the bot accounts modules post as. Accounts are never deleted: a retired
 * user's history keeps its author.
 */
public interface UserAccounts {

    /** A user as the directory describes them; {@code subject} is the token's {@code sub}. */
    record DirectoryAccount(String subject, String username, String displayName, String email, boolean enabled) {
    }

    /** An account's key facts, for deciding which ones a directory no longer has. */
    record AccountSummary(UserId id, String subject, boolean active) {
    }

    /** Creates or updates the account and (de)activates it as {@code enabled} says. Idempotent. */
    UserId provision(DirectoryAccount account);

    /** Deactivates the account; does nothing when it already is. */
    void deactivate(UserId id);

    /** Every person's account, active or not; bots are not the directory's to deactivate. */
    List<AccountSummary> all();

    /**
     * Creates (or returns) the bot account with this key, e.g. "approvals" -> a user the chat
     * module can use as a sender. Idempotent; updates the display name if it changed. A bot can
     * never sign in: no token maps to it. {@code key} is lower-case letters, digits and dashes.
     */
    UserId provisionBot(String key, String displayName);
}
