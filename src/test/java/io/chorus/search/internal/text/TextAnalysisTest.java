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
        assertThat(TextAnalysis.bigrams(tokens)).containsExactly("预算", "已提", "提交");
    }

    @Test
    void punctuationAndSpaceBetweenIdeographsBreakPairsAndPhrases() {
        List<Token> tokens = TextAnalysis.tokens("两个方案意见不合，同事们明天 再讨论");
        assertThat(TextAnalysis.bigrams(tokens)).doesNotContain("合同", "天再").contains("不合", "同事");
        assertThat(TextAnalysis.sequence(tokens)).containsSubsequence("合", TextAnalysis.BREAK, "同");
        assertThat(Highlighter.matches("意见不合，同事们", List.of(Term.of("合同", false)))).isEmpty();
        assertThat(Highlighter.matches("意见不合，同事们", List.of(Term.of("\"合同\"", true)))).isEmpty();
        assertThat(Highlighter.matches("意见不合，同事们", List.of(Term.of("不合，同事", true))))
                .containsExactly(new Highlight(2, 7));
        assertThat(TextAnalysis.bigrams(TextAnalysis.tokens("review，合同"))).containsExactly("合同");
        assertThat(TextAnalysis.sequenceOfTexts(List.of("已审批", "流程")))
                .as("no phrase with one break spans two texts of a message")
                .containsExactly("已", "审", "批", TextAnalysis.BREAK, TextAnalysis.BREAK, "流", "程");
        assertThat(TextAnalysis.sequence(TextAnalysis.tokens("Q3，预算")))
                .as("breaks only separate ideographs").containsExactly("q3", "预", "算");
    }

    @Test
    void traditionalCharactersAreTheirSimplifiedFormsWithOffsetsIntoTheOriginal() {
        List<Token> tokens = TextAnalysis.tokens("審批通過了");
        assertThat(tokens).extracting(Token::text).containsExactly("审", "批", "通", "过", "了");
        assertThat(Highlighter.matches("報銷審批通過了", List.of(Term.of("审批", false))))
                .containsExactly(new Highlight(2, 4));
        assertThat(Highlighter.matches("报销审批通过了", List.of(Term.of("審批", false))))
                .containsExactly(new Highlight(2, 4));
    }

    @Test
    void englishPluralsAreTheirSingulars() {
        assertThat(TextAnalysis.words("Reviews meetings policies branches boxes classes notes"))
                .containsExactly("review", "meeting", "policy", "branch", "box", "class", "note");
        assertThat(TextAnalysis.words("status process analysis bus its PRs v2s"))
                .containsExactly("status", "process", "analysis", "bus", "its", "prs", "v2s");
        assertThat(Highlighter.matches("Two reviews pending", List.of(Term.of("review", false))))
                .containsExactly(new Highlight(4, 11));
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
        assertThat(TextAnalysis.words("don\u2019t")).containsExactly("don't");
    }

    @Test
    void veryLongWordsAreCut() {
        assertThat(TextAnalysis.words("a".repeat(600))).hasSize(3).allMatch(w -> w.length() <= 255);
    }

    @Test
    void highlightsMarkWholeMatchesOrTheirPartsAndMerge() {
        List<Highlight> spans = Highlighter.matches("审批单已审，批准了审批", List.of(Term.of("审批", false)));
        // "审，批" is no 审批: punctuation breaks the pair, as in the index.
        assertThat(spans).containsExactly(new Highlight(0, 2), new Highlight(9, 11));
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
