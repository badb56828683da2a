package io.chorus.search.internal.postgres;

import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.engine.Ranking;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * One engine query as SQL: only the conditions it needs, so each is an index condition the
 * planner can use (GIN on the words, the (conversation, time) index for newest-first pages).
 */
record PostgresQuery(String sql, MapSqlParameterSource parameters) {

    static PostgresQuery of(EngineQuery query) {
        MapSqlParameterSource parameters = new MapSqlParameterSource();
        List<String> where = new ArrayList<>();
        where.add("NOT d.purged");
        if (!query.compliance()) {
            where.add("NOT d.recalled");
        }
        if (query.conversations() != null) {
            where.add("d.conversation_id = ANY(:conversations)");
            parameters.addValue("conversations", query.conversations().toArray(UUID[]::new));
        }
        if (query.senders() != null) {
            where.add("d.sender_id = ANY(:senders)");
            parameters.addValue("senders", query.senders().toArray(UUID[]::new));
        }
        if (query.mentioning() != null) {
            where.add("(d.mentions @> ARRAY[CAST(:mentioning AS uuid)] OR d.mentions_all)");
            parameters.addValue("mentioning", query.mentioning());
        }
        if (query.sentAfter() != null) {
            where.add("d.sent_at >= :sentAfter");
            parameters.addValue("sentAfter", utc(query.sentAfter()), Types.TIMESTAMP_WITH_TIMEZONE);
        }
        if (query.sentBefore() != null) {
            where.add("d.sent_at < :sentBefore");
            parameters.addValue("sentBefore", utc(query.sentBefore()), Types.TIMESTAMP_WITH_TIMEZONE);
        }
        String words = query.compliance() ? "d.all_words" : "d.words";
        String tsquery = TsVectors.query(query.include(), query.exclude());
        if (tsquery != null) {
            where.add(words + " @@ CAST(:q AS tsquery)");
            parameters.addValue("q", tsquery);
        }
        boolean newest = PostgresSearchEngine.newestFirst(query);
        if (newest && query.after() != null) {
            where.add("(d.sent_at, d.message_id) < (:afterSentAt, :afterId)");
            parameters.addValue("afterSentAt", utc(query.after().sentAt()), Types.TIMESTAMP_WITH_TIMEZONE);
            parameters.addValue("afterId", query.after().messageId());
        }
        parameters.addValue("limit", query.limit());
        String length = query.compliance() ? "d.all_word_length" : "d.word_length";
        // BM25 as Ranking defines it, from the term frequencies the tsvector holds.
        String score = newest ? "0" : """
                (SELECT COALESCE(SUM(CAST(cardinality(u.positions) AS float8) / (cardinality(u.positions)
                    + :k1 * (1 - :b + :b * %s / :typicalLength))), 0)
                 FROM unnest(%s) u WHERE u.lexeme = ANY(CAST(:scored AS text[])))""".formatted(length, words);
        if (!newest) {
            parameters.addValue("k1", Ranking.K1).addValue("b", Ranking.B)
                    .addValue("typicalLength", Ranking.TYPICAL_LENGTH)
                    .addValue("scored", Ranking.scoredWords(query.include()).toArray(String[]::new));
        }
        String order = newest ? "d.sent_at DESC, d.message_id DESC LIMIT :limit"
                : "score DESC, d.message_id DESC OFFSET :offset LIMIT :limit";
        parameters.addValue("offset", query.offset());
        String sql = "SELECT d.message_id, d.conversation_id, d.seq, d.sender_id, d.sent_at, d.text, d.earlier_texts,"
                + " d.mentions, d.mentions_all, d.edited, d.recalled, d.purged, d.version, " + score + " AS score"
                + " FROM search.message_doc d WHERE " + String.join(" AND ", where) + " ORDER BY " + order;
        return new PostgresQuery(sql, parameters);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
