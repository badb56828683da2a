package io.chorus.search.internal.postgres;

import io.chorus.search.internal.engine.Ranking;
import io.chorus.search.internal.query.Term;
import io.chorus.search.internal.text.TextAnalysis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes tsvector and tsquery literals from Chorus's own tokens, so PostgreSQL matches exactly
 * what the Elasticsearch engine matches: the indexed sequence of {@link TextAnalysis} (every word
 * and Han character at its position, breaks left empty) plus each Han bigram at the position
 * of its first character. Phrases are chains of single tokens, {@code <2>} over a break.
 */
final class TsVectors {

    /** PostgreSQL keeps positions up to 16383; later tokens share the last one. */
    private static final int MAX_POSITION = 16383;

    private TsVectors() {
    }

    /** The tsvector literal of these texts, one after the other, and their length as ranking counts it. */
    record Vector(String literal, int length) {
    }

    static Vector vector(List<String> texts) {
        List<String> sequence = TextAnalysis.sequenceOfTexts(texts);
        Map<String, List<Integer>> positions = new LinkedHashMap<>();
        for (int k = 0; k < sequence.size(); k++) {
            if (!sequence.get(k).equals(TextAnalysis.BREAK)) {
                add(positions, sequence.get(k), k + 1);
            }
            String bigram = TextAnalysis.bigramAt(sequence, k);
            if (bigram != null) {
                add(positions, bigram, k + 1);
            }
        }
        String literal = positions.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue().stream().map(String::valueOf)
                        .collect(Collectors.joining(",")))
                .collect(Collectors.joining(" "));
        return new Vector(literal, Ranking.storedLength(sequence.size()));
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
            StringBuilder chain = new StringBuilder();
            int distance = 0;
            for (String token : term.sequence()) {
                distance++;
                if (token.equals(TextAnalysis.BREAK)) {
                    continue;
                }
                if (!chain.isEmpty()) {
                    chain.append(distance == 1 ? " <-> " : " <" + distance + "> ");
                }
                chain.append(quote(token));
                distance = 0;
            }
            return chain.toString();
        }
        List<String> all = new ArrayList<>(term.words());
        all.addAll(term.bigrams());
        return all.stream().distinct().map(TsVectors::quote).collect(Collectors.joining(" & "));
    }

    /** A lexeme in quotes, with quotes and backslashes doubled as tsvector/tsquery input wants. */
    static String quote(String lexeme) {
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
