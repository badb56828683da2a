package io.chorus.search.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import io.chorus.support.ChorusIntegrationTest;
import java.time.Instant;
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
 * and a completed rebuild records the current one.
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
