package io.chorus.integration;

/** Stable codes of the integration module's refusals. */
public final class IntegrationProblems {

    public static final String BOT_NOT_FOUND = "BOT_NOT_FOUND";
    /** The key is another bot's or a person's username: {@code @key} must name one account. */
    public static final String BOT_KEY_TAKEN = "BOT_KEY_TAKEN";
    public static final String BOT_OWNER_INVALID = "BOT_OWNER_INVALID";
    public static final String TOKEN_NOT_FOUND = "TOKEN_NOT_FOUND";
    /** A revoked or expired token cannot be rotated: issue a new one. */
    public static final String TOKEN_INACTIVE = "TOKEN_INACTIVE";
    public static final String UNKNOWN_SCOPE = "UNKNOWN_SCOPE";

    private IntegrationProblems() {
    }
}
