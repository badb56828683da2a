package io.chorus.search.internal.postgres;

import io.chorus.search.SearchSort;
import io.chorus.search.internal.engine.EngineHit;
import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import io.chorus.search.internal.SearchEngineChoice;
import io.chorus.search.internal.SearchEngineChoice.ForEngine;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * The default engine: documents in {@code search.message_doc}, in the same database as chat,
 * matched with GIN-indexed tsvectors built by Chorus's tokeniser. Writes join the indexer's
 * transaction, so a drained queue entry and its document commit together.
 */
@Component
@ForEngine(SearchEngineChoice.POSTGRES)
class PostgresSearchEngine implements SearchEngine {

    /**
     * An upsert that never lets an older version replace a newer one. It records the digest of
     * the vectors it writes ({@code analysed}), which a previous release's upsert leaves alone:
     * see {@link #STALE}.
     */
    private static final String UPSERT = """
            INSERT INTO search.message_doc AS d (message_id, conversation_id, seq, sender_id, sent_at, text,
                earlier_texts, mentions, mentions_all, edited, recalled, purged, version, words, all_words,
                word_length, all_word_length, analysed)
            VALUES (:id, :conversation, :seq, :sender, :sentAt, :text, CAST(:earlier AS text[]),
                CAST(:mentions AS uuid[]), :mentionsAll, :edited, :recalled, :purged, :version,
                CAST(:words AS tsvector), CAST(:allWords AS tsvector), :wordLength, :allWordLength,
                md5(CAST(:words AS tsvector)::text || ' ' || CAST(:allWords AS tsvector)::text))
            ON CONFLICT (message_id) DO UPDATE SET text = excluded.text, earlier_texts = excluded.earlier_texts,
                mentions = excluded.mentions, mentions_all = excluded.mentions_all, edited = excluded.edited,
                recalled = excluded.recalled, purged = excluded.purged, version = excluded.version,
                words = excluded.words, all_words = excluded.all_words, word_length = excluded.word_length,
                all_word_length = excluded.all_word_length, analysed = excluded.analysed
            WHERE d.version <= excluded.version
            """;

    /**
     * Documents this release did not derive: their vectors are not the ones it recorded a digest
     * of. That is every row before the digest existed, and, during a rolling upgrade, every row
     * a node of the previous release wrote or rewrote (it sets no digest, nor lengths) after the
     * stored analysis version was raised. The predicate is the partial index's, which finds them.
     */
    static final String STALE = """
            SELECT * FROM search.message_doc
            WHERE analysed IS DISTINCT FROM md5(words::text || ' ' || all_words::text)
            ORDER BY message_id
            LIMIT :limit
            FOR UPDATE SKIP LOCKED
            """;

    /**
     * Raise with every change to what {@code TextAnalysis} makes of a text or to what a document
     * row holds: start-up then sees {@link #needsRebuild()} and derives every document again.
     * 2: no Han pairs across punctuation, simplified characters, singulars, lengths for ranking.
     */
    static final int ANALYSIS_VERSION = 2;

    private final NamedParameterJdbcTemplate jdbc;

    PostgresSearchEngine(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Collection<Long> index(List<IndexedMessage> documents) {
        if (documents.isEmpty()) {
            return List.of();
        }
        jdbc.batchUpdate(UPSERT, documents.stream().map(PostgresSearchEngine::row).toArray(SqlParameterSource[]::new));
        return documents.stream().map(IndexedMessage::messageId).toList();
    }

    private static SqlParameterSource row(IndexedMessage doc) {
        List<String> all = new ArrayList<>();
        all.add(doc.text());
        all.addAll(doc.earlierTexts());
        TsVectors.Vector words = TsVectors.vector(List.of(doc.text()));
        TsVectors.Vector allWords = TsVectors.vector(all);
        return new MapSqlParameterSource().addValue("id", doc.messageId())
                .addValue("conversation", doc.conversationId()).addValue("seq", doc.seq())
                .addValue("sender", doc.senderId())
                .addValue("sentAt", doc.sentAt().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .addValue("text", doc.text()).addValue("earlier", doc.earlierTexts().toArray(String[]::new))
                .addValue("mentions", doc.mentions().toArray(UUID[]::new)).addValue("mentionsAll", doc.mentionsAll())
                .addValue("edited", doc.edited()).addValue("recalled", doc.recalled())
                .addValue("purged", doc.purged()).addValue("version", doc.version())
                .addValue("words", words.literal()).addValue("wordLength", words.length())
                .addValue("allWords", allWords.literal()).addValue("allWordLength", allWords.length());
    }

    /**
     * Derives stale documents again from the texts they hold, in place (the same message version,
     * so a newer write meanwhile still wins). Must run in a transaction: the rows stay locked
     * until it commits, and other nodes skip them.
     */
    @Override
    public int refreshStale(int limit) {
        List<IndexedMessage> stale = jdbc.query(STALE, Map.of("limit", limit), (rs, n) -> document(rs));
        index(stale);
        return stale.size();
    }

    @Override
    public List<EngineHit> search(EngineQuery query) {
        if (isEmpty(query.conversations()) || isEmpty(query.senders())) {
            return List.of();
        }
        PostgresQuery sql = PostgresQuery.of(query);
        return jdbc.query(sql.sql(), sql.parameters(), (rs, n) -> new EngineHit(document(rs), rs.getDouble("score")));
    }

    private static boolean isEmpty(Set<UUID> filter) {
        return filter != null && filter.isEmpty();
    }

    private static IndexedMessage document(ResultSet rs) throws SQLException {
        UUID[] mentions = (UUID[]) rs.getArray("mentions").getArray();
        String[] earlier = (String[]) rs.getArray("earlier_texts").getArray();
        Timestamp sentAt = rs.getTimestamp("sent_at");
        return new IndexedMessage(rs.getLong("message_id"), rs.getObject("conversation_id", UUID.class),
                rs.getLong("seq"), rs.getObject("sender_id", UUID.class), sentAt.toInstant(), rs.getString("text"),
                Arrays.asList(earlier), Set.of(mentions), rs.getBoolean("mentions_all"), rs.getBoolean("edited"),
                rs.getBoolean("recalled"), rs.getBoolean("purged"), rs.getLong("version"));
    }

    @Override
    public boolean reachable() {
        return true; // it is the application's own database: if that is down, so is everything
    }

    /**
     * Flyway keeps the table's shape; what the rows hold is derived by the application's text
     * analysis, so they are rebuilt when that changed since they were written. An empty table
     * is simply marked current.
     */
    @Override
    public boolean needsRebuild() {
        if (storedAnalysisVersion() == ANALYSIS_VERSION) {
            return false;
        }
        if (!jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM search.message_doc)", Map.of(), Boolean.class)) {
            markAnalysisCurrent();
            return false;
        }
        return true;
    }

    private int storedAnalysisVersion() {
        return jdbc.queryForObject("SELECT analysis_version FROM search.engine_state", Map.of(), Integer.class);
    }

    private void markAnalysisCurrent() {
        jdbc.update("UPDATE search.engine_state SET analysis_version = :version", Map.of("version", ANALYSIS_VERSION));
    }

    /** Rewrites every document in place: the table is the index, so searchers never wait. */
    @Override
    public Rebuild startRebuild() {
        return new Rebuild() {
            @Override
            public String target() {
                return "search.message_doc";
            }

            @Override
            public void write(List<IndexedMessage> documents) {
                index(documents);
            }

            @Override
            public void complete() {
                markAnalysisCurrent();
            }

            @Override
            public void abandon() {
            }
        };
    }

    static boolean newestFirst(EngineQuery query) {
        return query.effectiveSort() == SearchSort.NEWEST;
    }
}
