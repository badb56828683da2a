package io.chorus.org.internal;

import com.ibm.icu.text.Transliterator;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * What directory search matches a person by: username, name, email, and for Chinese names the
 * pinyin spelt out ({@code zhangsan}, {@code zhang san}) and its initials ({@code zs}).
 * Queries go through {@link #normalise(String)} so full-width input (ｚｓ) matches too.
 */
@Component
public class SearchKeys {

    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");
    private static final Pattern SYLLABLE = Pattern.compile("\\p{IsHan}|[\\p{L}\\p{N}&&[^\\p{IsHan}]]+");
    private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");

    /**
     * ICU's Han→Latin transliterator: thread-safe once built, and costly to build (a quarter of a
     * second of a start), so built once, when a Chinese name first needs keys. A restart on an
     * existing database usually needs none before it is ready.
     */
    private static final class Pinyin {
        static final Transliterator TRANSLITERATOR = Transliterator.getInstance("Han-Latin; Latin-ASCII; Lower");
    }

    /** Space-separated keys, each lower case; a match is a substring of this text. */
    public String keysFor(String username, String displayName, String email) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(normalise(username));
        keys.add(normalise(displayName));
        if (email != null && email.contains("@")) {
            keys.add(normalise(email.substring(0, email.indexOf('@'))));
        }
        if (HAN.matcher(displayName).find()) {
            String[] syllables = syllables(displayName);
            keys.add(String.join("", syllables));
            keys.add(String.join(" ", syllables));
            keys.add(initials(syllables));
        } else {
            String[] words = NOT_LETTER_OR_DIGIT.split(normalise(displayName));
            if (words.length > 1) {
                keys.add(initials(words));
                keys.add(String.join("", words));
            }
        }
        keys.removeIf(String::isBlank);
        return String.join(" ", keys);
    }

    /** A query or key in comparable form: NFKC (full-width to half-width), lower case, trimmed. */
    public static String normalise(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
    }

    private String[] syllables(String displayName) {
        // One Han character is one syllable, transliterated on its own so syllables stay apart;
        // a run of other letters or digits ("张三 Sam") is one word.
        return SYLLABLE.matcher(normalise(displayName)).results()
                .map(MatchResult::group)
                .map(part -> HAN.matcher(part).matches() ? Pinyin.TRANSLITERATOR.transliterate(part) : part)
                .map(part -> NOT_LETTER_OR_DIGIT.matcher(part).replaceAll(""))
                .filter(part -> !part.isEmpty())
                .toArray(String[]::new);
    }

    private static String initials(String[] words) {
        StringBuilder initials = new StringBuilder();
        for (String word : words) {
            if (!word.isEmpty()) {
                initials.appendCodePoint(word.codePointAt(0));
            }
        }
        return initials.toString();
    }
}
