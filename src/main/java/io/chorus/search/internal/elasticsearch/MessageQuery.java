package io.chorus.search.internal.elasticsearch;

import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.ALL_TEXTS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.BIGRAMS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.CONVERSATION_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MENTIONS;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MENTIONS_ALL;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.MESSAGE_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.PURGED;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.RECALLED;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.SENDER_ID;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.SENT_AT;
import static io.chorus.search.internal.elasticsearch.MessageIndexLayout.TEXT;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.BoolQuery;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import io.chorus.search.SearchSort;
import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.query.Term;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One engine query as an Elasticsearch search, meaning exactly what the PostgreSQL engine's SQL
 * means: filters that do not score, one scoring clause per term, and the same two orders.
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
            String field = query.compliance() ? ALL_TEXTS : TEXT;
            query.include().forEach(term -> b.must(matching(field, term)));
            query.exclude().forEach(term -> b.mustNot(matching(field, term)));
            return b;
        });
    }

    /**
     * A phrase: its tokens together and in order. A free term: all its tokens anywhere, and each
     * Chinese bigram it holds, so {@code 审批} needs 审 and 批 side by side, not just both present.
     */
    static Query matching(String field, Term term) {
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
