package io.chorus.search.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.search.SearchSort;
import io.chorus.search.internal.engine.EngineQuery;
import io.chorus.search.internal.query.Term;
import io.chorus.support.ChorusIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The PostgreSQL engine's searches use their indexes: with 100,000 documents in 2,000
 * conversations (statistics analysed), the plans of exactly the SQL the engine runs start
 * from the GIN words index or the (conversation, time) index, never a scan of all documents;
 * the indexer's look for stale documents reads only the partial index that holds them.
 */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchQueryPlanTest {

    private static final int DOCUMENTS = 100_000;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    NamedParameterJdbcTemplate named;

    private List<UUID> conversations;

    @BeforeAll
    void loadAVolumeWorthPlanningFor() {
        // Recorded as derived by this release (analysed), so the indexer does not derive them again meanwhile.
        jdbc.sql("""
                INSERT INTO search.message_doc (message_id, conversation_id, seq, sender_id, sent_at, text,
                    earlier_texts, mentions, mentions_all, edited, recalled, purged, version, words, all_words,
                    analysed)
                SELECT d.*, md5(d.words::text || ' ' || d.all_words::text)
                FROM (SELECT 800000000 + g, c.id, g, gen_random_uuid(), now() - g * interval '1 minute', 'plan ' || g,
                             CAST('{}' AS text[]), CAST('{}' AS uuid[]), false, false, false, false, 1,
                             CAST('''plan'':1 ''w' || (g % 5000) || ''':2 ''审'':3 ''批'':4 ''审批'':3' AS tsvector)
                                 AS words,
                             CAST('''plan'':1 ''w' || (g % 5000) || ''':2' AS tsvector) AS all_words
                      FROM generate_series(1, :n) g
                      JOIN (SELECT gen_random_uuid() AS id, row_number() OVER () AS k FROM generate_series(1, 2000)) c
                        ON c.k = g % 2000 + 1) d
                """).param("n", DOCUMENTS).update();
        jdbc.sql("ANALYZE search.message_doc").update();
        conversations = jdbc.sql("SELECT DISTINCT conversation_id FROM search.message_doc WHERE message_id > 800000000 LIMIT 50")
                .query(UUID.class).list();
    }

    @Test
    void aRareWordStartsFromTheWordsIndex() {
        String plan = explain(query(List.of(Term.of("w4242", false)), null, SearchSort.RELEVANCE));
        assertThat(plan).contains("message_doc_words").doesNotContain("Seq Scan");
    }

    @Test
    void anEmployeesCommonWordStaysInTheirConversations() {
        String plan = explain(query(List.of(Term.of("审批", false)), Set.copyOf(conversations), SearchSort.RELEVANCE));
        assertThat(plan).doesNotContain("Seq Scan");
    }

    @Test
    void newestFirstPagesWalkTheTimeIndexes() {
        // Either walk is fine: the planner picks by how much of the table 50 conversations hold.
        assertThat(explain(query(List.of(), Set.copyOf(conversations), SearchSort.NEWEST)))
                .containsAnyOf("message_doc_by_conversation_time", "message_doc_by_time").doesNotContain("Seq Scan");
        assertThat(explain(query(List.of(), null, SearchSort.NEWEST)))
                .contains("message_doc_by_time").doesNotContain("Seq Scan");
        EngineQuery next = new EngineQuery(List.of(Term.of("plan", false)), List.of(), Set.copyOf(conversations),
                null, null, null, null, false, SearchSort.NEWEST, 0, new EngineQuery.Keyset(Instant.now(), 1), 21);
        assertThat(explain(next)).doesNotContain("Seq Scan");
    }

    @Test
    void staleDocumentsAreFoundThroughTheirPartialIndex() {
        List<String> lines = named.query("EXPLAIN " + PostgresSearchEngine.STALE, Map.of("limit", 500),
                (rs, n) -> rs.getString(1));
        assertThat(String.join("\n", lines)).contains("message_doc_stale").doesNotContain("Seq Scan");
    }

    private static EngineQuery query(List<Term> include, Set<UUID> reach, SearchSort sort) {
        return new EngineQuery(include, List.of(), reach, null, null, null, null, false, sort, 0, null, 21);
    }

    private String explain(EngineQuery query) {
        PostgresQuery sql = PostgresQuery.of(query);
        List<String> lines = named.query("EXPLAIN " + sql.sql(), sql.parameters(), (rs, n) -> rs.getString(1));
        return lines.stream().collect(Collectors.joining("\n"));
    }
}
