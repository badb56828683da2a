package io.chorus.search.internal.postgres;

import io.chorus.search.internal.query.Term;
import io.chorus.search.internal.text.TextAnalysis;
import io.chorus.search.internal.text.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes tsvector and tsquery literals from Chorus's own tokens, so PostgreSQL matches exactly
 * what the Elasticsearch engine matches: every word and Han character at its position, and
 * each Han bigram at the position of its first character. Phrases are {@code <->} chains of
 * single tokens; the texts of one message are 100 positions apart, so no phrase spans two.
 */
final class TsVectors {

    /** PostgreSQL keeps positions up to 16383; later tokens share the last one. */
    private static final int MAX_POSITION = 16383;
    private static final int TEXT_GAP = 100;

    private TsVectors() {
    }

    /** The tsvector literal of these texts, one after the other. */
    static String vector(List<String> texts) {
        Map<String, List<Integer>> positions = new LinkedHashMap<>();
        int offset = 0;
        for (String text : texts) {
            List<Token> tokens = TextAnalysis.tokens(text);
            for (Token token : tokens) {
                add(positions, token.text(), offset + token.position() + 1);
            }
            for (int k = 1; k < tokens.size(); k++) {
                if (tokens.get(k - 1).ideograph() && tokens.get(k).ideograph()) {
                    add(positions, tokens.get(k - 1).text() + tokens.get(k).text(), offset + k);
                }
            }
            offset += tokens.size() + TEXT_GAP;
        }
        return positions.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue().stream().map(String::valueOf)
                        .collect(Collectors.joining(",")))
                .collect(Collectors.joining(" "));
    }

    private static void add(Map<String, List<Integer>> positions, String lexeme, int position) {
        List<Integer> at = positions.computeIfAbsent(lexeme, k -> new ArrayList<>());
        int clamped = Math.min(position, MAX_POSITION);
        // A tsvector keeps at most 256 positions per lexeme; more add nothing to matching.
        if (at.size() < 256 && (at.isEmpty() || at.getLast() != clamped)) {
            at.add(clamped);
        }
    }

    /** The tsquery literal requiring every {@code include} term and none of {@code exclude}; null when there are none. */
    static String query(List<Term> include, List<Term> exclude) {
        List<String> parts = new ArrayList<>();
        include.forEach(term -> parts.add("(" + term(term) + ")"));
        exclude.forEach(term -> parts.add("!(" + term(term) + ")"));
        return parts.isEmpty() ? null : String.join(" & ", parts);
    }

    private static String term(Term term) {
        if (term.phrase()) {
            return term.words().stream().map(TsVectors::quote).collect(Collectors.joining(" <-> "));
        }
        List<String> all = new ArrayList<>(term.words());
        all.addAll(term.bigrams());
        return all.stream().distinct().map(TsVectors::quote).collect(Collectors.joining(" & "));
    }

    /** A lexeme in quotes, with quotes and backslashes doubled as tsvector/tsquery input wants. */
    private static String quote(String lexeme) {
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
