package io.chorus.search.internal.query;

import io.chorus.platform.ChorusProblem;
import io.chorus.search.SearchProblems;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the query language, the same for both engines:
 * {@code 审批 "exact phrase" -draft from:alice in:"Project Apollo" after:2026-01-31 before:2026-03-01
 * on:2026-02-14 mentions:me}. Words and phrases combine with AND; {@code -} excludes. A query
 * that cannot be read is a 400 problem that says where, never a guess.
 */
public final class QueryParser {

    public static final int MAX_LENGTH = 500;
    public static final int MAX_TERMS = 20;

    private static final List<String> FILTERS = List.of("from", "in", "before", "after", "on", "mentions");

    private QueryParser() {
    }

    public static ParsedQuery parse(String query) {
        if (query == null || query.isBlank()) {
            throw invalid("q is empty.");
        }
        if (query.length() > MAX_LENGTH) {
            throw invalid("q is longer than " + MAX_LENGTH + " characters.");
        }
        // NFKC first: full-width quotes, colons, minus signs and spaces work like ASCII ones.
        String q = Normalizer.normalize(query, Normalizer.Form.NFKC);
        Builder built = new Builder();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean negated = c == '-';
            int start = negated ? i + 1 : i;
            if (negated && (start >= q.length() || Character.isWhitespace(q.charAt(start)))) {
                throw invalid("'-' at " + i + " excludes nothing; write -word or -\"a phrase\".");
            }
            if (isOpeningQuote(q.charAt(start))) {
                int close = closingQuote(q, start);
                built.term(q.substring(start + 1, close), true, negated);
                i = close + 1;
                continue;
            }
            int end = wordEnd(q, start);
            String word = q.substring(start, end);
            int colon = word.indexOf(':');
            String key = colon > 0 ? word.substring(0, colon).toLowerCase(Locale.ROOT) : null;
            if (!negated && key != null && FILTERS.contains(key)) {
                String value;
                if (colon + 1 < word.length() && isOpeningQuote(word.charAt(colon + 1))) {
                    int close = closingQuote(q, start + colon + 1);
                    value = q.substring(start + colon + 2, close);
                    end = close + 1;
                } else {
                    value = word.substring(colon + 1);
                }
                built.filter(key, value.strip());
            } else {
                built.term(word, false, negated);
            }
            i = end;
        }
        return built.build();
    }

    /**
     * ASCII quotes, and the curly ones Chinese (and many other) input methods type: “…” and ‘…’.
     * A curly quote opens only a phrase or a quoted name, so an apostrophe in {@code don’t} stays one.
     */
    private static boolean isOpeningQuote(char c) {
        return c == '"' || c == '\u201C' || c == '\u2018';
    }

    private static char closing(char open) {
        return switch (open) {
            case '\u201C' -> '\u201D';
            case '\u2018' -> '\u2019';
            default -> '"';
        };
    }

    private static int closingQuote(String q, int open) {
        int close = q.indexOf(closing(q.charAt(open)), open + 1);
        if (close < 0) {
            throw invalid("The quote at " + open + " is never closed.");
        }
        return close;
    }

    private static int wordEnd(String q, int from) {
        int end = from;
        while (end < q.length() && !Character.isWhitespace(q.charAt(end))) {
            end++;
        }
        return end;
    }

    static ChorusProblem invalid(String detail) {
        return ChorusProblem.badRequest(SearchProblems.QUERY_INVALID, detail);
    }

    private static final class Builder {
        private final List<Term> include = new ArrayList<>();
        private final List<Term> exclude = new ArrayList<>();
        private final List<String> senders = new ArrayList<>();
        private final List<String> conversations = new ArrayList<>();
        private LocalDate before;
        private LocalDate after;
        private LocalDate on;
        private boolean mentionsMe;

        void term(String raw, boolean phrase, boolean negated) {
            Term term = Term.of(raw, phrase);
            if (!term.searchable()) {
                if (phrase) {
                    throw invalid("The phrase \"" + raw + "\" has no word or character to search for.");
                }
                return; // punctuation between words, like a lone "&": nothing to match
            }
            (negated ? exclude : include).add(term);
            if (include.size() + exclude.size() > MAX_TERMS) {
                throw invalid("q has more than " + MAX_TERMS + " words and phrases.");
            }
        }

        void filter(String key, String value) {
            if (value.isEmpty()) {
                throw invalid(key + ": needs a value.");
            }
            switch (key) {
                case "from" -> senders.add(value.startsWith("@") ? value.substring(1) : value);
                case "in" -> conversations.add(value);
                case "before" -> before = once(before, key, value);
                case "after" -> after = once(after, key, value);
                case "on" -> on = once(on, key, value);
                case "mentions" -> {
                    if (!value.equalsIgnoreCase("me")) {
                        throw invalid("mentions: takes only 'me'.");
                    }
                    mentionsMe = true;
                }
                default -> throw new IllegalStateException(key);
            }
        }

        private static LocalDate once(LocalDate current, String key, String value) {
            if (current != null) {
                throw invalid(key + ": is given twice.");
            }
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw invalid(key + ": takes a date like 2026-03-31, not '" + value + "'.");
            }
        }

        ParsedQuery build() {
            if (include.isEmpty() && senders.isEmpty() && conversations.isEmpty() && before == null
                    && after == null && on == null && !mentionsMe) {
                throw invalid("q has nothing to search for: give a word, a phrase or a filter.");
            }
            return new ParsedQuery(List.copyOf(include), List.copyOf(exclude), List.copyOf(senders),
                    List.copyOf(conversations), before, after, on, mentionsMe);
        }
    }
}
