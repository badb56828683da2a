package io.chorus.search.internal.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How Chorus cuts text into searchable tokens, the same way for indexing, queries and
 * highlighting, and the same way Elasticsearch's {@code standard} tokenizer does for the
 * cases that matter: each Han (or Hiragana) character is a token of its own, and a run of
 * letters and digits is a word, kept whole across an inner apostrophe or dot ({@code don't},
 * {@code example.com}, {@code 3.14}) and an underscore. Everything else separates tokens.
 * Text is NFKC-normalised first (full-width {@code Ｑ３} becomes {@code q3}) and lowercased.
 *
 * <p>Chinese is matched through bigrams: two ideographs next to each other form one extra
 * token, so {@code 审批} finds text where 审 and 批 are adjacent, not where they are apart.
 */
public final class TextAnalysis {

    /** Longer words are cut into pieces of this length, as the standard tokenizer's default does. */
    static final int MAX_WORD_LENGTH = 255;

    private TextAnalysis() {
    }

    /** NFKC and lowercase, as every engine stores and compares text. */
    public static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** The tokens of {@code text}, with offsets into {@code text} itself (not its normalised form). */
    public static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            String normalised = normalise(new String(Character.toChars(cp)));
            if (isIdeograph(cp)) {
                tokens.add(new Token(normalised, i, i + width, tokens.size(), true));
                i += width;
            } else if (isWordChar(normalised)) {
                int start = i;
                StringBuilder word = new StringBuilder();
                while (i < n && word.length() < MAX_WORD_LENGTH) {
                    int c = text.codePointAt(i);
                    String form = normalise(new String(Character.toChars(c)));
                    if (isIdeograph(c)) {
                        break;
                    }
                    if (isWordChar(form)) {
                        word.append(form);
                        i += Character.charCount(c);
                    } else if (joinsWord(form, word, text, i + Character.charCount(c))) {
                        word.append(form);
                        i += Character.charCount(c);
                    } else {
                        break;
                    }
                }
                tokens.add(new Token(word.toString(), start, i, tokens.size(), false));
            } else {
                i += width;
            }
        }
        return tokens;
    }

    /** The normalised texts of the tokens, in order. */
    public static List<String> words(String text) {
        return tokens(text).stream().map(Token::text).toList();
    }

    /** Each pair of adjacent ideographs, as one string: the bigrams an index holds for Chinese. */
    public static List<String> bigrams(List<Token> tokens) {
        List<String> bigrams = new ArrayList<>();
        for (int k = 1; k < tokens.size(); k++) {
            if (tokens.get(k - 1).ideograph() && tokens.get(k).ideograph()) {
                bigrams.add(tokens.get(k - 1).text() + tokens.get(k).text());
            }
        }
        return bigrams;
    }

    static boolean isIdeograph(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA;
    }

    private static boolean isWordChar(String normalised) {
        if (normalised.isEmpty()) {
            return false;
        }
        int cp = normalised.codePointAt(0);
        return Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                || cp == '_';
    }

    /**
     * An apostrophe or dot between two letters, or a dot or comma between two digits, stays
     * inside the word, as Unicode word segmentation (UAX #29) keeps it.
     */
    private static boolean joinsWord(String form, StringBuilder word, String text, int next) {
        if (form.length() != 1 || word.isEmpty() || next >= text.length()) {
            return false;
        }
        char c = form.charAt(0);
        int before = word.codePointBefore(word.length());
        String after = normalise(new String(Character.toChars(text.codePointAt(next))));
        if (after.isEmpty() || isIdeograph(text.codePointAt(next))) {
            return false;
        }
        int following = after.codePointAt(0);
        boolean letters = Character.isLetter(before) && Character.isLetter(following);
        boolean digits = Character.isDigit(before) && Character.isDigit(following);
        return switch (c) {
            case '\'', '\u2019' -> letters;
            case '.' -> letters || digits;
            case ',' -> digits;
            default -> false;
        };
    }
}
