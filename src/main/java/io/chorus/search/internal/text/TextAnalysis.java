package io.chorus.search.internal.text;

import com.ibm.icu.text.Transliterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How Chorus cuts text into searchable tokens: the one analysis both engines index and query
 * with (PostgreSQL stores these tokens as tsvectors, Elasticsearch receives them ready-cut), and
 * that highlighting uses. Each Han (or Hiragana) character is a token of its own, and a run of
 * letters and digits is a word, kept whole across an inner apostrophe or dot ({@code don't},
 * {@code example.com}, {@code 3.14}) and an underscore. Everything else separates tokens.
 *
 * <p>Tokens are normalised so that what people consider the same word meets: NFKC (full-width
 * {@code Ｑ３} is {@code q3}), lowercase, traditional Han characters as simplified ones
 * ({@code 審} is {@code 审}), and English plurals as singulars ({@code reviews} is {@code review},
 * see {@link #singular}).
 *
 * <p>Chinese is matched through bigrams: two ideographs next to each other form one extra
 * token, so {@code 审批} finds text where 审 and 批 are adjacent, not where they are apart. Two
 * ideographs with punctuation or space between them are not adjacent: {@code 不合，同事} holds no
 * {@code 合同}. Such a break also takes a position of its own ({@link #BREAK}), so a phrase does
 * not run across it either.
 */
public final class TextAnalysis {

    /** Longer words are cut into pieces of this length, as the standard tokenizer's default does. */
    static final int MAX_WORD_LENGTH = 255;

    /**
     * What stands at a position that holds no token: between two ideographs that punctuation or
     * space separates, and (twice) between the texts of one message. No text ever yields it as a token.
     */
    public static final String BREAK = "\u2029";

    private static final Transliterator TRADITIONAL_TO_SIMPLIFIED = Transliterator.getInstance("Traditional-Simplified");
    private static final Map<Integer, String> SIMPLIFIED = new ConcurrentHashMap<>();

    private TextAnalysis() {
    }

    /** NFKC and lowercase, as every engine stores and compares text. */
    public static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /**
     * The tokens of {@code text}, with offsets into {@code text} itself (not its normalised form),
     * and positions that leave one free after each break between ideographs.
     */
    public static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int position = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            String normalised = normalise(new String(Character.toChars(cp)));
            if (isIdeograph(cp)) {
                Token previous = tokens.isEmpty() ? null : tokens.getLast();
                if (previous != null && previous.ideograph() && previous.end() != i) {
                    position++; // 合，同 are no pair, in bigrams and in phrases alike
                }
                tokens.add(new Token(simplified(cp, normalised), i, i + width, position++, true));
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
                        // don’t as typed on phones is don't
                        word.append(form.equals("\u2019") ? "'" : form);
                        i += Character.charCount(c);
                    } else {
                        break;
                    }
                }
                tokens.add(new Token(singular(word.toString()), start, i, position++, false));
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

    /**
     * The tokens of {@code tokens} by position: a token's text where one stands, {@link #BREAK}
     * where none does. This is what the engines index and what a phrase must line up with.
     */
    public static List<String> sequence(List<Token> tokens) {
        List<String> sequence = new ArrayList<>();
        for (Token token : tokens) {
            while (sequence.size() < token.position()) {
                sequence.add(BREAK);
            }
            sequence.add(token.text());
        }
        return sequence;
    }

    /**
     * The indexed sequence of several texts (a message's current and earlier ones), two breaks
     * between each two: a phrase holds at most one break in a row, so none spans two texts.
     */
    public static List<String> sequenceOfTexts(List<String> texts) {
        List<String> sequence = new ArrayList<>();
        for (String text : texts) {
            List<String> one = sequence(tokens(text));
            if (one.isEmpty()) {
                continue;
            }
            if (!sequence.isEmpty()) {
                sequence.add(BREAK);
                sequence.add(BREAK);
            }
            sequence.addAll(one);
        }
        return sequence;
    }

    /** Each pair of adjacent ideographs, as one string: the bigrams an index holds for Chinese. */
    public static List<String> bigrams(List<Token> tokens) {
        return bigramsOf(sequence(tokens));
    }

    /** The bigrams of an indexed sequence, in order; see {@link #bigramAt}. */
    public static List<String> bigramsOf(List<String> sequence) {
        List<String> bigrams = new ArrayList<>();
        for (int k = 0; k + 1 < sequence.size(); k++) {
            String bigram = bigramAt(sequence, k);
            if (bigram != null) {
                bigrams.add(bigram);
            }
        }
        return bigrams;
    }

    /** The bigram that starts at position {@code k} of {@code sequence}, or null when none does. */
    public static String bigramAt(List<String> sequence, int k) {
        if (k + 1 >= sequence.size()) {
            return null;
        }
        String first = sequence.get(k);
        String second = sequence.get(k + 1);
        return isIdeographToken(first) && isIdeographToken(second) ? first + second : null;
    }

    /** Whether a token of a sequence is a single ideograph (not a word, not a break). */
    public static boolean isIdeographToken(String token) {
        return !token.isEmpty() && !token.equals(BREAK) && isIdeograph(token.codePointAt(0));
    }

    static boolean isIdeograph(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA;
    }

    /** 審 as 审: one character at a time, so a token keeps its place and its highlight its offsets. */
    private static String simplified(int codePoint, String normalised) {
        return SIMPLIFIED.computeIfAbsent(codePoint, cp -> {
            synchronized (TRADITIONAL_TO_SIMPLIFIED) {
                return TRADITIONAL_TO_SIMPLIFIED.transliterate(normalised);
            }
        });
    }

    /**
     * The singular of an English plural, by a few suffix rules (a light "S-stemmer", after
     * Harman 1991) rather than a dictionary: {@code reviews}, {@code meetings}, {@code policies},
     * {@code branches}, {@code boxes}, {@code classes} become {@code review}, {@code meeting},
     * {@code policy}, {@code branch}, {@code box}, {@code class}; {@code status}, {@code process},
     * {@code analysis} and words under four letters stay as they are. Only plain a–z words are
     * touched. Text and queries go through the same rules, so where a rule is wrong for a word
     * ({@code news} becomes {@code new}) both sides are wrong alike and still meet.
     */
    static String singular(String word) {
        int n = word.length();
        if (n < 4 || word.charAt(n - 1) != 's' || !isPlainLatin(word)) {
            return word;
        }
        if (word.endsWith("ies") && !word.endsWith("eies") && !word.endsWith("aies")) {
            return word.substring(0, n - 3) + "y";
        }
        if (word.endsWith("sses") || word.endsWith("ches") || word.endsWith("shes") || word.endsWith("xes")) {
            return word.substring(0, n - 2);
        }
        if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is")) {
            return word;
        }
        return word.substring(0, n - 1);
    }

    private static boolean isPlainLatin(String word) {
        for (int k = 0; k < word.length(); k++) {
            char c = word.charAt(k);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
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
