package io.chorus.search.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import io.chorus.support.ChorusIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Documents written by an older text analysis are derived again at start-up: the PostgreSQL
 * engine asks for a rebuild while the stored analysis version is older than the application's,
 * and a completed rebuild records the current one. Documents that nodes of the previous release
 * write after that, during a rolling upgrade, are derived again by the indexer.
 */
@ChorusIntegrationTest
class AnalysisVersionTest {

    @Autowired
    SearchEngine engine;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void leaveTheVersionCurrent() {
        jdbc.sql("UPDATE search.engine_state SET analysis_version = :v").param("v", PostgresSearchEngine.ANALYSIS_VERSION)
                .update();
    }

    /** How the previous release wrote a document: its own vectors, no lengths, no digest. */
    private static final String PREVIOUS_RELEASE_UPSERT = """
            INSERT INTO search.message_doc AS d (message_id, conversation_id, seq, sender_id, sent_at, text,
                earlier_texts, mentions, mentions_all, edited, recalled, purged, version, words, all_words)
            VALUES (:id, :conversation, 1, :sender, :sentAt, :text, CAST(:earlier AS text[]), '{}', false,
                :edited, false, false, :version, to_tsvector('simple', :text),
                to_tsvector('simple', :text || ' ' || array_to_string(CAST(:earlier AS text[]), ' ')))
            ON CONFLICT (message_id) DO UPDATE SET text = excluded.text, earlier_texts = excluded.earlier_texts,
                mentions = excluded.mentions, mentions_all = excluded.mentions_all, edited = excluded.edited,
                recalled = excluded.recalled, purged = excluded.purged, version = excluded.version,
                words = excluded.words, all_words = excluded.all_words
            WHERE d.version <= excluded.version
            """;

    @Test
    void documentsThePreviousReleaseWritesDuringARollingUpgradeAreDerivedAgain() {
        assertThat(engine.needsRebuild()).as("this release's analysis is recorded").isFalse();
        IndexedMessage inserted = message("预算批准了 reviews", List.of(), 1);
        IndexedMessage editedBefore = message("第一稿 draft", List.of(), 1);
        engine.index(List.of(editedBefore));
        IndexedMessage edited = new IndexedMessage(editedBefore.messageId(), editedBefore.conversationId(), 1,
                editedBefore.senderId(), editedBefore.sentAt(), "审批通过的定稿 final version", List.of("第一稿 draft"),
                Set.of(), false, true, false, false, 2);

        writeAsThePreviousRelease(inserted);
        writeAsThePreviousRelease(edited);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertDerivedByThisRelease(inserted);
            assertDerivedByThisRelease(edited);
        });
        assertThat(engine.refreshStale(500)).as("nothing stale is left").isZero();
    }

    private IndexedMessage message(String text, List<String> earlier, long version) {
        return new IndexedMessage(1_800_000_000L + System.nanoTime() % 100_000_000, UUID.randomUUID(), 1,
                UUID.randomUUID(), Instant.parse("2026-03-02T08:00:00Z"), text, earlier, Set.of(), false,
                !earlier.isEmpty(), false, false, version);
    }

    private void writeAsThePreviousRelease(IndexedMessage message) {
        jdbc.sql(PREVIOUS_RELEASE_UPSERT).param("id", message.messageId())
                .param("conversation", message.conversationId()).param("sender", message.senderId())
                .param("sentAt", Timestamp.from(message.sentAt())).param("text", message.text())
                .param("earlier", message.earlierTexts().toArray(String[]::new)).param("edited", message.edited())
                .param("version", message.version()).update();
    }

    private void assertDerivedByThisRelease(IndexedMessage message) {
        List<String> all = new ArrayList<>();
        all.add(message.text());
        all.addAll(message.earlierTexts());
        TsVectors.Vector words = TsVectors.vector(List.of(message.text()));
        TsVectors.Vector allWords = TsVectors.vector(all);
        Boolean derived = jdbc.sql("""
                SELECT words = CAST(:words AS tsvector) AND all_words = CAST(:allWords AS tsvector)
                    AND word_length = :wordLength AND all_word_length = :allWordLength AND version = :version
                FROM search.message_doc WHERE message_id = :id
                """).param("words", words.literal()).param("allWords", allWords.literal())
                .param("wordLength", words.length()).param("allWordLength", allWords.length())
                .param("version", message.version()).param("id", message.messageId()).query(Boolean.class).single();
        assertThat(derived).as("message %d as this release derives it", message.messageId()).isTrue();
    }

    @Test
    void documentsOfAnOlderAnalysisAreRebuiltAndThenCurrent() {
        IndexedMessage message = new IndexedMessage(1_900_000_000L + System.nanoTime() % 1_000_000, UUID.randomUUID(), 1,
                UUID.randomUUID(), Instant.parse("2026-03-02T08:00:00Z"), "不合，同事 reviews", List.of(), Set.of(),
                false, false, false, false, 1);
        engine.index(List.of(message));
        assertThat(engine.needsRebuild()).isFalse();

        jdbc.sql("UPDATE search.engine_state SET analysis_version = 1").update();
        assertThat(engine.needsRebuild()).as("documents written by analysis 1").isTrue();

        SearchEngine.Rebuild rebuild = engine.startRebuild();
        rebuild.write(List.of(message));
        rebuild.complete();
        assertThat(engine.needsRebuild()).isFalse();
        assertThat(jdbc.sql("SELECT word_length FROM search.message_doc WHERE message_id = :id")
                .param("id", message.messageId()).query(Integer.class).single())
                .as("不 合 | 同 事 review").isEqualTo(6);
    }
}
