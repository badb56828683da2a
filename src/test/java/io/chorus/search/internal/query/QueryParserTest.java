package io.chorus.search.internal.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.platform.ChorusProblem;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class QueryParserTest {

    @Test
    void readsWordsPhrasesExclusionsAndFilters() {
        ParsedQuery q = QueryParser.parse(
                "审批 \"release notes\" -draft -\"old plan\" from:@alice in:\"Project A\" after:2026-01-31 "
                        + "before:2026-03-01 on:2026-02-14 mentions:me");
        assertThat(q.include()).extracting(Term::text).containsExactly("审批", "release notes");
        assertThat(q.include()).extracting(Term::phrase).containsExactly(false, true);
        assertThat(q.include().getFirst().bigrams()).containsExactly("审批");
        assertThat(q.exclude()).extracting(Term::text).containsExactly("draft", "old plan");
        assertThat(q.senders()).containsExactly("alice");
        assertThat(q.conversations()).containsExactly("Project A");
        assertThat(q.after()).isEqualTo(LocalDate.of(2026, 1, 31));
        assertThat(q.before()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(q.on()).isEqualTo(LocalDate.of(2026, 2, 14));
        assertThat(q.mentionsMe()).isTrue();
    }

    @Test
    void fullWidthOperatorsWorkLikeAsciiOnes() {
        ParsedQuery q = QueryParser.parse("ｆｒｏｍ：bob　＂流程通过＂　－草稿");
        assertThat(q.senders()).containsExactly("bob");
        assertThat(q.include()).extracting(Term::text).containsExactly("流程通过");
        assertThat(q.include().getFirst().phrase()).isTrue();
        assertThat(q.exclude()).extracting(Term::text).containsExactly("草稿");
    }

    @Test
    void curlyQuotesOfChineseInputMethodsWorkLikeAsciiOnes() {
        ParsedQuery q = QueryParser.parse("\u201C审批通过\u201D -\u2018old plan\u2019 in:\u201CProject A\u201D don\u2019t");
        assertThat(q.include()).extracting(Term::text).containsExactly("审批通过", "don\u2019t");
        assertThat(q.include().get(1).words()).containsExactly("don't");
        assertThat(q.include()).extracting(Term::phrase).containsExactly(true, false);
        assertThat(q.exclude()).extracting(Term::text).containsExactly("old plan");
        assertThat(q.exclude().getFirst().phrase()).isTrue();
        assertThat(q.conversations()).containsExactly("Project A");
        assertInvalid("\u201C审批通过", "never closed");
    }

    @Test
    void unknownPrefixesArePlainWordsAndPunctuationIsSkipped() {
        ParsedQuery q = QueryParser.parse("http://wiki & todo:later");
        assertThat(q.include()).extracting(Term::text).containsExactly("http://wiki", "todo:later");
    }

    @Test
    void malformedQueriesAreRefusedWithTheReason() {
        assertInvalid("\"never closed", "never closed");
        assertInvalid("before:tomorrow", "takes a date");
        assertInvalid("on:2026-01-01 on:2026-01-02", "twice");
        assertInvalid("mentions:you", "only 'me'");
        assertInvalid("from:", "needs a value");
        assertInvalid("- alone", "excludes nothing");
        assertInvalid("\"!!\"", "no word");
        assertInvalid("&&", "nothing to search");
        assertInvalid("x".repeat(QueryParser.MAX_LENGTH + 1), "longer");
        assertInvalid("a b c d e f g h i j k l m n o p q r s t u", "more than");
    }

    private static void assertInvalid(String query, String reason) {
        assertThatThrownBy(() -> QueryParser.parse(query)).isInstanceOf(ChorusProblem.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((ChorusProblem) e).code()).isEqualTo("SEARCH_QUERY_INVALID"));
    }
}
