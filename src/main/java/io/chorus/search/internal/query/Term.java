package io.chorus.search.internal.query;

import io.chorus.search.internal.text.TextAnalysis;
import io.chorus.search.internal.text.Token;
import java.util.List;

/**
 * One thing the query asks for (or excludes): a free word, which matches wherever all its
 * words and Chinese bigrams occur, or a phrase, whose words must stand together and in order.
 * {@code text} is normalised; {@code words} and {@code bigrams} are its tokens as the index
 * holds them; {@code sequence} is its tokens by position, with {@link TextAnalysis#BREAK} where
 * the text breaks a run of ideographs, which is how a phrase must line up in a message.
 */
public record Term(String text, boolean phrase, List<String> words, List<String> bigrams, List<String> sequence) {

    public static Term of(String raw, boolean phrase) {
        List<Token> tokens = TextAnalysis.tokens(raw);
        return new Term(TextAnalysis.normalise(raw).strip(), phrase, tokens.stream().map(Token::text).toList(),
                TextAnalysis.bigrams(tokens), TextAnalysis.sequence(tokens));
    }

    public boolean searchable() {
        return !words.isEmpty();
    }
}
