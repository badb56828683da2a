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

    /** Multi-line text after {@link #lineFeeds}: line feeds and tabs only. */
    public static boolean multiLine(String text) {
        return text.codePoints().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t');
    }

    /** Windows and old Mac line ends as line feeds: one way to break a line, everywhere it is shown. */
    public static String lineFeeds(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** At most {@code max} characters, cut between whole code points, with an ellipsis when cut. */
    public static String clip(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = max - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "…";
    }
}
