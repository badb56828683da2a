package io.chorus.approval.internal;

/**
 * The one rule for text people write into approvals (names, labels, form text, comments):
 * no control characters, except line breaks and tabs where the text may span lines. Cards and
 * timelines show it as plain text everywhere, so nothing may smuggle in terminal escapes.
 */
public final class PlainText {

    private PlainText() {
    }

    public static boolean singleLine(String text) {
        return text.codePoints().noneMatch(Character::isISOControl);
    }

    public static boolean multiLine(String text) {
        return text.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t');
    }
}
