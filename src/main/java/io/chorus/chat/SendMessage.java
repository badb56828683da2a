package io.chorus.chat;

import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.util.regex.Pattern;

/**
 * Post a message. {@code clientMessageId} is chosen by the sender's client; sending the same
 * one again returns the original message instead of posting a second. The rules on its
 * fields live here, so REST, STOMP and any future caller enforce the same ones.
 */
public record SendMessage(ConversationId conversationId, UserId sender, String clientMessageId, String text,
        Long replyToMessageId) {

    public static final int MAX_TEXT_LENGTH = 4000;
    private static final Pattern CLIENT_MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public SendMessage {
        validClientMessageId(clientMessageId);
        text = validText(text);
    }

    /** A client message id: 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'. */
    static void validClientMessageId(String clientMessageId) {
        if (clientMessageId == null || !CLIENT_MESSAGE_ID.matcher(clientMessageId).matches()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "clientMessageId must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'.");
        }
    }

    /** Message text: not blank, at most {@value #MAX_TEXT_LENGTH} characters, surrounding blank lines dropped. */
    public static String validText(String text) {
        String stripped = text == null ? "" : text.strip();
        if (stripped.isEmpty()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "text must not be blank.");
        }
        if (stripped.length() > MAX_TEXT_LENGTH) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "text may have at most " + MAX_TEXT_LENGTH + " characters.");
        }
        return stripped;
    }
}
