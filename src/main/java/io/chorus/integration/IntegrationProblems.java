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

    /** 404: no incoming webhook with this id, or the secret in the URL is not its secret (the same answer). */
    public static final String WEBHOOK_NOT_FOUND = "WEBHOOK_NOT_FOUND";
    /** 401: {@code webhook-timestamp} is more than five minutes from our clock, either way. */
    public static final String WEBHOOK_TIMESTAMP_STALE = "WEBHOOK_TIMESTAMP_STALE";
    /** 401: the Standard Webhooks headers are missing or no signature matches a valid secret. */
    public static final String WEBHOOK_SIGNATURE_INVALID = "WEBHOOK_SIGNATURE_INVALID";
    /** 409: this {@code webhook-id} was already accepted within the tolerance window; nothing is posted. */
    public static final String WEBHOOK_REPLAYED = "WEBHOOK_REPLAYED";
    /** 413: the request body is larger than an incoming webhook accepts. */
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";

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

    /** Slash commands and interactive cards are a bot's: the caller is no bot. */
    public static final String BOT_REQUIRED = "BOT_REQUIRED";
    public static final String COMMAND_NOT_FOUND = "COMMAND_NOT_FOUND";
    /** Several bots of the conversation have the command: the caller says which with {@code /name@botkey}. */
    public static final String COMMAND_AMBIGUOUS = "COMMAND_AMBIGUOUS";
    /** The bot refused the command, failed, or answered with something Chorus cannot show. */
    public static final String COMMAND_FAILED = "COMMAND_FAILED";
    /** The bot did not answer within the deadline; it may still answer through the response URL. */
    public static final String COMMAND_TIMEOUT = "COMMAND_TIMEOUT";
    /** Unknown, expired or used up: the same answer for all three. */
    public static final String RESPONSE_URL_NOT_FOUND = "RESPONSE_URL_NOT_FOUND";
    public static final String INTERACTIVITY_NOT_FOUND = "INTERACTIVITY_NOT_FOUND";
    /** The card's bot did not accept the action (failure, refusal, no answer in time). */
    public static final String CARD_ACTION_FAILED = "CARD_ACTION_FAILED";

    private IntegrationProblems() {
    }
}
