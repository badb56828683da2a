package io.chorus.search.internal.elasticsearch;

import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.ALL_BIGRAMS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.ALL_WORDS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.BIGRAMS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.CONVERSATION_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MENTIONS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MENTIONS_ALL;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MESSAGE_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.PURGED;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.RECALLED;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.SENDER_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.SENT_AT;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.V1_ALL_TEXTS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.V1_TEXT;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.WORDS;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.SpanQuery;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import io.chorus.search.SearchSort;
import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.engine.Ranking;
import io.chorus.search.internal.query.Term;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One engine query as an Elasticsearch search, meaning exactly what the PostgreSQL engine's SQL
 * means: what must and must not match as filters that do not score, one scoring clause per
 * distinct word of the query (see {@link Ranking}), and the same two orders. Every token is one
 * that Chorus cut ({@code Term}), looked up as it is, never analysed again here.
 */
final class MessageQuery {

    private MessageQuery() {
    }

    /** The search of {@code query} on {@code index}; the caller has already answered empty id filters. */
    static SearchRequest of(EngineQuery query, String index) {
        boolean newest = query.effectiveSort() == SearchSort.NEWEST;
        return SearchRequest.of(s -> {
            s.index(index)
                    .query(q -> q.bool(bool(query)))
                    .size(query.limit())
                    // Pages are read by position, never counted: counting every match costs on a big index.
                    .trackTotalHits(t -> t.enabled(false));
            if (newest) {
                s.sort(descending(SENT_AT), descending(MESSAGE_ID));
                if (query.after() != null) {
                    s.searchAfter(FieldValue.of(epochNanos(query.after().sentAt())),
                            FieldValue.of(query.after().messageId()));
                }
            } else {
                s.sort(SortOptions.of(o -> o.score(sc -> sc.order(SortOrder.Desc))), descending(MESSAGE_ID))
                        .from(query.offset());
            }
            return s;
        });
    }

    private static BoolQuery bool(EngineQuery query) {
        return BoolQuery.of(b -> {
            b.filter(term(PURGED, FieldValue.of(false)));
            if (!query.compliance()) {
                b.filter(term(RECALLED, FieldValue.of(false)));
            }
            if (query.conversations() != null) {
                b.filter(ids(CONVERSATION_ID, query.conversations()));
            }
            if (query.senders() != null) {
                b.filter(ids(SENDER_ID, query.senders()));
            }
            if (query.mentioning() != null) {
                b.filter(f -> f.bool(m -> m
                        .should(term(MENTIONS, FieldValue.of(query.mentioning().toString())))
                        .should(term(MENTIONS_ALL, FieldValue.of(true)))
                        .minimumShouldMatch("1")));
            }
            if (query.sentAfter() != null || query.sentBefore() != null) {
                b.filter(f -> f.range(r -> r.date(d -> {
                    d.field(SENT_AT);
                    if (query.sentAfter() != null) {
                        d.gte(query.sentAfter().toString());
                    }
                    if (query.sentBefore() != null) {
                        d.lt(query.sentBefore().toString());
                    }
                    return d;
                })));
            }
            // Employees search what a message says now; compliance also what it said before an edit.
            Fields fields = query.compliance() ? new Fields(ALL_WORDS, ALL_BIGRAMS) : new Fields(WORDS, BIGRAMS);
            // Each term is asked of both mappings: a field an index does not have matches nothing
            // there, so a version 2 index answers as before, and a version 1 index still being
            // replaced by an upgrade rebuild answers too instead of finding nothing.
            String v1Field = query.compliance() ? V1_ALL_TEXTS : V1_TEXT;
            query.include().forEach(term -> b.filter(f -> f.bool(either -> either
                    .should(matching(fields, term))
                    .should(v1Matching(v1Field, term))
                    .minimumShouldMatch("1"))));
            query.exclude().forEach(term -> b.mustNot(matching(fields, term)).mustNot(v1Matching(v1Field, term)));
            Ranking.scoredWords(query.include())
                    .forEach(word -> b.should(term(fields.words(), FieldValue.of(word))));
            query.include().forEach(term -> b.should(v1Matching(v1Field, term)));
            return b;
        });
    }

    /** The fields a search reads: the indexed sequence and its bigrams. */
    record Fields(String words, String bigrams) {
    }

    /**
     * A phrase: its sequence at consecutive positions, breaks included. A free term: all its
     * tokens anywhere, and each Chinese bigram it holds, so {@code 审批} needs 审 and 批 side by
     * side, not just both present.
     */
    static Query matching(Fields fields, Term term) {
        if (term.phrase() && term.sequence().size() > 1) {
            List<SpanQuery> clauses = term.sequence().stream()
                    .map(token -> SpanQuery.of(sq -> sq.spanTerm(st -> st.field(fields.words()).value(token))))
                    .toList();
            return Query.of(q -> q.spanNear(n -> n.clauses(clauses).slop(0).inOrder(true)));
        }
        return Query.of(q -> q.bool(b -> {
            term.words().stream().distinct().forEach(word -> b.filter(term(fields.words(), FieldValue.of(word))));
            term.bigrams().stream().distinct()
                    .forEach(bigram -> b.filter(term(fields.bigrams(), FieldValue.of(bigram))));
            return b;
        }));
    }

    /** What {@link #matching} was on mapping version 1, whose fields Elasticsearch analysed itself. */
    static Query v1Matching(String field, Term term) {
        if (term.phrase()) {
            return Query.of(q -> q.matchPhrase(p -> p.field(field).query(term.text())));
        }
        Query words = Query.of(q -> q.match(m -> m.field(field).query(term.text()).operator(Operator.And)));
        if (term.bigrams().isEmpty()) {
            return words;
        }
        return Query.of(q -> q.bool(b -> {
            b.must(words);
            term.bigrams().forEach(bigram -> b.must(term(field + "." + BIGRAMS, FieldValue.of(bigram))));
            return b;
        }));
    }

    private static Query term(String field, FieldValue value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    private static Query ids(String field, Set<UUID> ids) {
        List<FieldValue> values = ids.stream().map(id -> FieldValue.of(id.toString())).toList();
        return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(values))));
    }

    private static SortOptions descending(String field) {
        return SortOptions.of(o -> o.field(f -> f.field(field).order(SortOrder.Desc)));
    }

    /** A {@code date_nanos} field sorts, and pages, by nanoseconds since the epoch. */
    static long epochNanos(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    }
}
