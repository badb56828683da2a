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
    /** The bot's owner may not do this themselves, so the bot may not either. */
    public static final String OWNER_NOT_ALLOWED = "BOT_OWNER_NOT_ALLOWED";

    // outgoing webhooks
    public static final String SUBSCRIPTION_NOT_FOUND = "SUBSCRIPTION_NOT_FOUND";
    public static final String DELIVERY_NOT_FOUND = "DELIVERY_NOT_FOUND";
    public static final String UNKNOWN_EVENT_TYPE = "UNKNOWN_EVENT_TYPE";
    /** Subscribing to an event type needs the scope that reads the same data (messages:read, approvals:read, org:read). */
    public static final String EVENT_SCOPE_MISSING = "EVENT_SCOPE_MISSING";
    public static final String WEBHOOK_URL_INVALID = "WEBHOOK_URL_INVALID";
    public static final String TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS";
    /** Re-enable the subscription (PATCH enabled=true) before replaying to it. */
    public static final String SUBSCRIPTION_DISABLED = "SUBSCRIPTION_DISABLED";
    public static final String REPLAY_RANGE_TOO_LARGE = "REPLAY_RANGE_TOO_LARGE";

    private IntegrationProblems() {
    }
}
