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
