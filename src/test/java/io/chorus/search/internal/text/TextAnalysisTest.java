package io.chorus.search.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.search.Highlight;
import io.chorus.search.Snippet;
import io.chorus.search.internal.query.Term;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextAnalysisTest {

    @Test
    void hanCharactersAreTokensOfTheirOwnAndAdjacentOnesFormBigrams() {
        List<Token> tokens = TextAnalysis.tokens("Q3预算，已提交");
        assertThat(tokens).extracting(Token::text).containsExactly("q3", "预", "算", "已", "提", "交");
        assertThat(TextAnalysis.bigrams(tokens)).containsExactly("预算", "算已", "已提", "提交");
    }

    @Test
    void fullWidthFormsAreNormalisedButOffsetsStayInTheOriginal() {
        List<Token> tokens = TextAnalysis.tokens("请 ＡＢＣ 同学");
        assertThat(tokens.get(1).text()).isEqualTo("abc");
        assertThat("请 ＡＢＣ 同学".substring(tokens.get(1).start(), tokens.get(1).end())).isEqualTo("ＡＢＣ");
    }

    @Test
    void wordsKeepInnerApostrophesDotsAndDigitGroups() {
        assertThat(TextAnalysis.words("Don't ping example.com about 3.14 or 1,000 items_left."))
                .containsExactly("don't", "ping", "example.com", "about", "3.14", "or", "1,000", "items_left");
    }

    @Test
    void veryLongWordsAreCut() {
        assertThat(TextAnalysis.words("a".repeat(600))).hasSize(3).allMatch(w -> w.length() <= 255);
    }

    @Test
    void highlightsMarkWholeMatchesOrTheirPartsAndMerge() {
        List<Highlight> spans = Highlighter.matches("审批单已审，批准了审批", List.of(Term.of("审批", false)));
        // Punctuation separates no tokens for matching: "审，批" is 审 next to 批, as in the index.
        assertThat(spans).containsExactly(new Highlight(0, 2), new Highlight(4, 7), new Highlight(9, 11));
        assertThat(Highlighter.matches("release train", List.of(Term.of("release", false), Term.of("train", false))))
                .containsExactly(new Highlight(0, 7), new Highlight(8, 13));
    }

    @Test
    void longTextsAreCutAroundTheFirstMatchWithOffsetsIntoTheSnippet() {
        String text = "开头".repeat(100) + "关键审批" + "结尾".repeat(100);
        Snippet snippet = Highlighter.snippet(text, List.of(Term.of("审批", false)));
        assertThat(snippet.text()).startsWith("…").endsWith("…").hasSizeLessThanOrEqualTo(Highlighter.SNIPPET_LENGTH + 2);
        Highlight h = snippet.highlights().getFirst();
        assertThat(snippet.text().substring(h.start(), h.end())).isEqualTo("审批");
    }
}
