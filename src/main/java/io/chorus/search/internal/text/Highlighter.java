package io.chorus.search.internal.text;

import io.chorus.search.Highlight;
import io.chorus.search.Snippet;
import io.chorus.search.internal.query.Term;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Marks what a query matched in a text and cuts a snippet around the first match. Done here,
 * from the same tokens the engines match, rather than by either engine: both engines give the
 * same highlights, and the offsets point into the original text (not its normalised form), so
 * they are right for Chinese, full-width and mixed text alike.
 */
public final class Highlighter {

    /** Snippets longer than this are cut around the first match. */
    public static final int SNIPPET_LENGTH = 160;
    private static final int LEAD = 30;
    private static final String ELLIPSIS = "…";

    private Highlighter() {
    }

    /** The spans of {@code text} that the terms match, in order, overlapping ones merged. */
    public static List<Highlight> matches(String text, List<Term> terms) {
        List<Token> tokens = TextAnalysis.tokens(text);
        List<Highlight> spans = new ArrayList<>();
        for (Term term : terms) {
            boolean whole = markSequence(tokens, term.sequence(), spans);
            if (!whole && !term.phrase()) {
                // A free term matches its bigrams and its other words anywhere: mark each of them.
                List<String> sequence = term.sequence();
                Set<Integer> inBigrams = new HashSet<>();
                for (int k = 0; k + 1 < sequence.size(); k++) {
                    if (TextAnalysis.bigramAt(sequence, k) != null) {
                        markSequence(tokens, sequence.subList(k, k + 2), spans);
                        inBigrams.add(k);
                        inBigrams.add(k + 1);
                    }
                }
                for (int k = 0; k < sequence.size(); k++) {
                    if (!inBigrams.contains(k) && !sequence.get(k).equals(TextAnalysis.BREAK)) {
                        markSequence(tokens, List.of(sequence.get(k)), spans);
                    }
                }
            }
        }
        return merge(spans);
    }

    /** The snippet of {@code text} for these terms: all of it when short, else a window from just before the first match. */
    public static Snippet snippet(String text, List<Term> terms) {
        List<Highlight> spans = matches(text, terms);
        if (text.length() <= SNIPPET_LENGTH) {
            return new Snippet(text, spans);
        }
        int from = spans.isEmpty() ? 0 : Math.max(0, spans.getFirst().start() - LEAD);
        if (from > 0 && Character.isLowSurrogate(text.charAt(from))) {
            from--;
        }
        int to = Math.min(text.length(), from + SNIPPET_LENGTH);
        if (to < text.length() && Character.isLowSurrogate(text.charAt(to))) {
            to++;
        }
        String prefix = from > 0 ? ELLIPSIS : "";
        String cut = prefix + text.substring(from, to) + (to < text.length() ? ELLIPSIS : "");
        int shift = prefix.length() - from;
        List<Highlight> inside = new ArrayList<>();
        for (Highlight span : spans) {
            int start = Math.max(span.start(), from);
            int end = Math.min(span.end(), to);
            if (start < end) {
                inside.add(new Highlight(start + shift, end + shift));
            }
        }
        return new Snippet(cut, inside);
    }

    /** Marks each place where {@code sequence} stands in the tokens, position by position, breaks included. */
    private static boolean markSequence(List<Token> tokens, List<String> sequence, List<Highlight> spans) {
        Map<Integer, Token> byPosition = new HashMap<>();
        tokens.forEach(token -> byPosition.put(token.position(), token));
        boolean found = false;
        for (Token first : tokens) {
            if (!first.text().equals(sequence.getFirst())) {
                continue;
            }
            Token last = first;
            boolean match = true;
            for (int k = 1; k < sequence.size() && match; k++) {
                Token at = byPosition.get(first.position() + k);
                if (sequence.get(k).equals(TextAnalysis.BREAK)) {
                    match = at == null;
                } else {
                    match = at != null && at.text().equals(sequence.get(k));
                    last = match ? at : last;
                }
            }
            if (match) {
                spans.add(new Highlight(first.start(), last.end()));
                found = true;
            }
        }
        return found;
    }

    private static List<Highlight> merge(List<Highlight> spans) {
        spans.sort(Comparator.comparingInt(Highlight::start).thenComparingInt(Highlight::end));
        List<Highlight> merged = new ArrayList<>();
        for (Highlight span : spans) {
            if (!merged.isEmpty() && span.start() <= merged.getLast().end()) {
                Highlight last = merged.removeLast();
                merged.add(new Highlight(last.start(), Math.max(last.end(), span.end())));
            } else {
                merged.add(span);
            }
        }
        return merged;
    }
}
