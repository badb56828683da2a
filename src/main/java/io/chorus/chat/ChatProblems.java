package io.chorus.chat;

/** Stable codes of chat refusals, identical on REST (problem {@code code}) and STOMP (error event {@code code}). */
public final class ChatProblems {

    public static final String CONVERSATION_NOT_FOUND = "CONVERSATION_NOT_FOUND";
    public static final String NOT_A_MEMBER = "NOT_A_MEMBER";
    public static final String MEMBER_NOT_FOUND = "MEMBER_NOT_FOUND";
    public static final String INVALID_REACTION = "INVALID_REACTION";
    public static final String NOT_ALLOWED = "NOT_ALLOWED";
    public static final String NOT_A_GROUP = "NOT_A_GROUP";
    public static final String CONVERSATION_ARCHIVED = "CONVERSATION_ARCHIVED";
    public static final String UNKNOWN_USER = "UNKNOWN_USER";
    public static final String DIRECT_CHAT_WITH_SELF = "DIRECT_CHAT_WITH_SELF";
    public static final String OWNER_MUST_TRANSFER = "OWNER_MUST_TRANSFER";
    public static final String MESSAGE_NOT_FOUND = "MESSAGE_NOT_FOUND";
    public static final String NOT_THE_AUTHOR = "NOT_THE_AUTHOR";
    public static final String MESSAGE_RECALLED = "MESSAGE_RECALLED";
    public static final String RECALL_WINDOW_PASSED = "RECALL_WINDOW_PASSED";
    public static final String CLIENT_MESSAGE_ID_REUSED = "CLIENT_MESSAGE_ID_REUSED";
    public static final String MENTION_ALL_NOT_ALLOWED = "MENTION_ALL_NOT_ALLOWED";
    public static final String SEQ_OUT_OF_RANGE = "SEQ_OUT_OF_RANGE";
    public static final String GROUP_TOO_LARGE = "GROUP_TOO_LARGE";
    /** Department groups follow the org chart: members, roles and name change there, not by hand. */
    public static final String DEPARTMENT_GROUP_MANAGED = "DEPARTMENT_GROUP_MANAGED";

    /** Retention erased the message's content; it takes no edits, recalls or reactions. */
    public static final String MESSAGE_PURGED = "MESSAGE_PURGED";

    /** A card changes only through its poster ({@link Cards#update}), never by a text edit. */
    public static final String CARD_NOT_EDITABLE = "CARD_NOT_EDITABLE";
    /** The message is not a card, or its current version has no action of that id (it changed meanwhile). */
    public static final String CARD_ACTION_UNAVAILABLE = "CARD_ACTION_UNAVAILABLE";
    /** {@link Cards#update} named a text message. */
    public static final String NOT_A_CARD = "NOT_A_CARD";

    public static final String LEGAL_HOLD_NOT_FOUND = "LEGAL_HOLD_NOT_FOUND";
    public static final String LEGAL_HOLD_RELEASED = "LEGAL_HOLD_RELEASED";
    /** A legal hold names a user or a conversation Chorus does not know. */
    public static final String HOLD_SUBJECT_NOT_FOUND = "HOLD_SUBJECT_NOT_FOUND";

    /**
     * STOMP, 503: the node lost its connection to the message broker (several nodes) and ended
     * the session, or cannot open one now. Reconnect after {@code retryAfterMs} and catch up by seq.
     */
    public static final String BROKER_UNAVAILABLE = "BROKER_UNAVAILABLE";
    /**
     * STOMP, 503: the node is stopping (a rolling update, a scale-in). Reconnect at once, which
     * reaches another node, and catch up by seq; resend unacknowledged messages with the same
     * {@code clientMessageId}.
     */
    public static final String SERVER_STOPPING = "SERVER_STOPPING";

    private ChatProblems() {
    }
}
