package io.chorus.platform;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Text a request carries that Chorus refuses to store anywhere: a NUL character (PostgreSQL
 * cannot hold it) or malformed UTF-16 (a lone surrogate, which storage would silently replace,
 * so that a retried send would no longer match its original). Every JSON string a REST body or
 * STOMP frame carries is checked as it is read, every query parameter before any handler runs;
 * both edges answer {@code 400 VALIDATION_FAILED}.
 */
public final class UnacceptableTextException extends MismatchedInputException {

    public UnacceptableTextException(JsonParser parser, String flaw) {
        super(parser, flaw, String.class);
    }

    /** Why {@code text} cannot be accepted, or {@code null} when it can. */
    public static String flawIn(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains malformed UTF-16 (an unpaired surrogate)";
            }
        }
        return null;
    }
}
