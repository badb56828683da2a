package io.chorus.search;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.ElasticsearchEngine;
import io.chorus.support.ElasticsearchNode;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Elasticsearch goes away while people keep sending, editing and recalling, and comes back:
 * every send succeeds meanwhile, the backlog is kept and shown, and afterwards the index holds
 * exactly the conversation's messages, each once, at its current version.
 */
@ChorusIntegrationTest
@ElasticsearchEngine
class ElasticsearchOutageTest {

    private static final int MESSAGES = 120;

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ElasticsearchClient elasticsearch;

    @Test
    void theIndexConvergesOnTheDatabaseAfterAnOutage() throws Exception {
        SearchSetup search = new SearchSetup(clients, jdbc);
        TestUser alice = clients.user("alice");
        TestUser admin = clients.orgAdmin();
        String group = search.group(alice, "Outage " + alice.username());
        search.send(alice, group, "停机之前 before the outage");
        search.awaitIndexed();

        ElasticsearchNode node = ElasticsearchNode.get();
        List<Long> sent = Collections.synchronizedList(new ArrayList<>());
        ExecutorService sender = Executors.newSingleThreadExecutor();
        Future<?> sending = sender.submit(() -> {
            for (int i = 0; i < MESSAGES; i++) {
                long id = search.send(alice, group, "消息 " + i + " message during the outage");
                sent.add(id);
                if (i % 10 == 0) {
                    search.edit(alice, group, id, "已编辑 消息 " + i + " edited during the outage");
                }
                if (i % 25 == 0) {
                    search.recall(alice, group, id);
                }
            }
            return null;
        });
        while (sent.size() < MESSAGES / 4) {
            Thread.sleep(10);
        }
        node.stop();
        try {
            sending.get(); // every send, edit and recall succeeded with the engine down
            search.send(alice, group, "停机期间 while it is down");
            JsonNode component = awaitBacklog(admin);
            assertThat(component.get("status").asString()).isEqualTo("DOWN");
            assertThat(search.searchResponse(alice, "消息").problem(503, "SEARCH_UNAVAILABLE")).isNotNull();
        } finally {
            sender.shutdownNow();
            node.start();
        }
        search.awaitIndexed();

        Map<Long, Long> inDatabase = new HashMap<>();
        jdbc.sql("SELECT id, version FROM chat.message WHERE conversation_id = CAST(:c AS uuid)").param("c", group)
                .query((rs, n) -> inDatabase.put(rs.getLong(1), rs.getLong(2))).list();
        assertThat(inDatabase).hasSize(MESSAGES + 2);
        assertThat(indexed(group)).isEqualTo(inDatabase);
        assertThat(search.ids(alice, "停机期间")).hasSize(1);
        List<Long> editedAndLive = jdbc.sql("""
                SELECT id FROM chat.message WHERE conversation_id = CAST(:c AS uuid) AND recalled_at IS NULL
                AND body LIKE '已编辑%' ORDER BY id""").param("c", group).query(Long.class).list();
        assertThat(editedAndLive).isNotEmpty();
        assertThat(search.ids(alice, "已编辑", "limit", "50").stream().sorted().toList()).isEqualTo(editedAndLive);
    }

    private JsonNode awaitBacklog(TestUser admin) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            JsonNode component = clients.rest(admin).get("/actuator/health").json().get("components").get("search");
            if (component.get("details").get("backlog").asLong() > 0 && !component.get("status").asString().equals("UP")) {
                return component;
            }
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    /** Every document of the conversation in the index: message id to version, read straight from Elasticsearch. */
    private Map<Long, Long> indexed(String conversationId) throws IOException {
        var response = elasticsearch.search(s -> s.index("chorus-messages").size(1000).version(true)
                .query(q -> q.term(t -> t.field("conversation_id").value(conversationId))), Map.class);
        Map<Long, Long> documents = new HashMap<>();
        for (Hit<Map> hit : response.hits().hits()) {
            assertThat(documents.put(Long.parseLong(hit.id()), hit.version())).as("document %s once", hit.id()).isNull();
        }
        long count = elasticsearch.count(c -> c.index("chorus-messages")
                .query(q -> q.term(t -> t.field("conversation_id").value(conversationId)))).count();
        assertThat(count).isEqualTo(documents.size());
        return documents;
    }
}
