package io.chorus.search;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.chat.MessageRetention;
import io.chorus.search.internal.engine.IndexedMessage;
import io.chorus.search.internal.engine.SearchEngine;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** How the index is fed and kept, on the default engine: versions, purges, rebuilds, health. */
@ChorusIntegrationTest
class SearchIndexingTest {

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SearchEngine engine;

    @Autowired
    MessageRetention retention;

    @Autowired
    ApplicationContext context;

    SearchSetup search;
    TestUser alice;
    String group;

    @BeforeEach
    void setUp() {
        search = new SearchSetup(clients, jdbc);
        alice = clients.user("alice");
        group = search.group(alice, "Indexing " + alice.username());
    }

    @Test
    void anOlderStateNeverReplacesANewerOne() {
        long id = search.send(alice, group, "第一版 first draft");
        search.edit(alice, group, id, "第二版 second draft");
        search.awaitIndexed();

        // A late write of the original (version 1), as a replayed event or a slow node would make.
        IndexedMessage stale = new IndexedMessage(id, UUID.fromString(group), 1, alice.id(), Instant.now(),
                "第一版 first draft", List.of(), Set.of(), false, false, false, false, 1);
        assertThat(engine.index(List.of(stale))).contains(id);

        assertThat(search.ids(alice, "第一版")).isEmpty();
        assertThat(search.ids(alice, "第二版")).containsExactly(id);
        assertThat(jdbc.sql("SELECT version FROM search.message_doc WHERE message_id = :id").param("id", id)
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void aRedeliveredEventIndexesOnce() {
        long id = search.send(alice, group, "重复投递 delivered twice");
        search.awaitIndexed();
        // The listener's queue write is what a redelivery repeats.
        jdbc.sql("INSERT INTO search.pending_message VALUES (:id, nextval('search.pending_generation'), now())")
                .param("id", id).update();
        search.awaitIndexed();

        assertThat(search.ids(alice, "重复投递")).containsExactly(id);
        assertThat(jdbc.sql("SELECT count(*) FROM search.message_doc WHERE message_id = :id").param("id", id)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void purgedMessagesLeaveTheIndexForEveryone() {
        TestUser admin = clients.orgAdmin();
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        long old = search.send(alice, group, "过期消息 expired note");
        long fresh = search.send(alice, group, "新消息 expired note too");
        jdbc.sql("UPDATE chat.message SET created_at = now() - interval '40 days' WHERE id = :id").param("id", old)
                .update();
        clients.rest(admin).exchange(HttpMethod.PUT, "/api/v1/retention/conversations/" + group,
                body("messageRetentionDays", 30)).ok();
        retention.purgeExpired();
        search.awaitIndexed();

        assertThat(search.ids(alice, "expired")).containsExactly(fresh);
        assertThat(SearchSetup.idsOf(search.complianceSearch(officer, "expired in:" + group)))
                .containsExactly(fresh);
        assertThat(SearchSetup.idsOf(search.complianceSearch(officer, "in:" + group))).containsExactly(fresh);
    }

    @Test
    void aRebuildRederivesEveryDocumentFromChat() {
        long id = search.send(alice, group, "重建索引 rebuild me");
        search.awaitIndexed();
        jdbc.sql("DELETE FROM search.message_doc WHERE message_id = :id").param("id", id).update();
        assertThat(search.ids(alice, "重建索引")).isEmpty();

        TestUser admin = clients.orgAdmin();
        JsonNode started = clients.rest(admin).post("/api/v1/search/reindex", null).status(202).json();
        assertThat(started.get("state").asString()).isEqualTo("RUNNING");
        awaitRebuild(admin);

        assertThat(search.ids(alice, "重建索引")).containsExactly(id);
        assertThat(clients.rest(alice).post("/api/v1/search/reindex", null).problem(403, "FORBIDDEN")).isNotNull();
        // The audit trail says who rebuilt the index (recorded once the event is delivered).
        Instant deadline = Instant.now().plusSeconds(30);
        while (jdbc.sql("""
                SELECT count(*) FROM (SELECT actor_id FROM audit.pending_entry WHERE action = :a
                                      UNION ALL SELECT actor_id FROM audit.entry WHERE action = :a) e
                WHERE actor_id = :admin""").param("a", "search.index_rebuild_started").param("admin", admin.id())
                .query(Long.class).single() == 0) {
            assertThat(Instant.now()).as("rebuild audited").isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aBacklogIsVisibleInHealthAndIndexedOnceTheIndexerRuns() {
        TestUser admin = clients.orgAdmin();
        SmartLifecycle indexer = context.getBean("indexDrainer", SmartLifecycle.class);
        indexer.stop();
        long id;
        try {
            id = search.send(alice, group, "积压消息 waiting in the backlog");
            Instant deadline = Instant.now().plusSeconds(30);
            JsonNode component;
            do {
                assertThat(Instant.now()).isBefore(deadline);
                component = clients.rest(admin).get("/actuator/health").ok().json().get("components").get("search");
            } while (component.get("details").get("backlog").asLong() == 0);
            assertThat(component.get("status").asString()).isEqualTo("UP");
            assertThat(component.get("details").get("engine").asString()).isEqualTo("postgres");
            assertThat(component.get("details").has("oldestPending")).isTrue();
            assertThat(search.ids(alice, "积压消息")).isEmpty();
        } finally {
            indexer.start();
        }
        search.awaitIndexed();
        assertThat(search.ids(alice, "积压消息")).containsExactly(id);
        assertThat(clients.rest(admin).get("/actuator/health").ok().json().get("components").get("search")
                .get("details").get("backlog").asLong()).isZero();
        // Only administrators see details.
        assertThat(clients.anonymous().get("/actuator/health").ok().json().has("components")).isFalse();
        assertThat(clients.rest(alice).get("/api/v1/search/index").problem(403, "FORBIDDEN")).isNotNull();
    }

    private void awaitRebuild(TestUser admin) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!clients.rest(admin).get("/api/v1/search/index").ok().json().get("rebuild").get("state").asString()
                .equals("COMPLETED")) {
            assertThat(Instant.now()).isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
