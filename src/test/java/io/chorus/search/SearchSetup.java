package io.chorus.search;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Steps the search tests share, all through the REST API: groups, messages, edits, recalls,
 * searches. {@link #awaitIndexed()} waits until every chat event reached the search queue and
 * the queue is empty, so a test may then assert what is and is not found.
 */
final class SearchSetup {

    private static final Duration INDEX_TIMEOUT = Duration.ofSeconds(60);

    private final TestClients clients;
    private final JdbcClient jdbc;

    SearchSetup(TestClients clients, JdbcClient jdbc) {
        this.clients = clients;
        this.jdbc = jdbc;
    }

    String group(TestUser owner, String name, TestUser... members) {
        return clients.rest(owner).post("/api/v1/conversations/groups", body("name", name,
                "memberIds", Arrays.stream(members).map(TestUser::id).toList())).status(201).json().get("id")
                .asString();
    }

    long send(TestUser sender, String conversationId, String text) {
        return clients.rest(sender).post("/api/v1/conversations/" + conversationId + "/messages",
                body("clientMessageId", UUID.randomUUID().toString(), "text", text)).status(201).json()
                .get("id").asLong();
    }

    void edit(TestUser author, String conversationId, long messageId, String text) {
        clients.rest(author).patch("/api/v1/conversations/" + conversationId + "/messages/" + messageId,
                body("text", text)).ok();
    }

    void recall(TestUser author, String conversationId, long messageId) {
        clients.rest(author).post("/api/v1/conversations/" + conversationId + "/messages/" + messageId + "/recall",
                null).ok();
    }

    void leave(TestUser member, String conversationId) {
        clients.rest(member).delete("/api/v1/conversations/" + conversationId + "/members/" + member.id())
                .status(204);
    }

    /** The first page of an employee's search, as returned. */
    JsonNode search(TestUser user, String q, String... parameters) {
        return clients.rest(user).get(url("/api/v1/search/messages", q, parameters)).ok().json();
    }

    RestApi.Response searchResponse(TestUser user, String q, String... parameters) {
        return clients.rest(user).get(url("/api/v1/search/messages", q, parameters));
    }

    /** The ids of an employee's hits, in order, first page. */
    List<Long> ids(TestUser user, String q, String... parameters) {
        return idsOf(search(user, q, parameters));
    }

    JsonNode complianceSearch(TestUser officer, String q, String... parameters) {
        return clients.rest(officer).get(url("/api/v1/search/compliance/messages", q, parameters)).ok().json();
    }

    static List<Long> idsOf(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("messageId").asLong()));
        return ids;
    }

    static String url(String path, String q, String... parameters) {
        StringBuilder url = new StringBuilder(path).append("?q=").append(encode(q));
        for (int i = 0; i < parameters.length; i += 2) {
            url.append('&').append(parameters[i]).append('=').append(encode(parameters[i + 1]));
        }
        return url.toString();
    }

    /** RestApi's client encodes the URI template itself; only what it would leave alone needs doing here. */
    static String encode(String value) {
        return value.replace("%", "%25").replace("+", "%2B").replace("&", "%26").replace("#", "%23");
    }

    /**
     * Waits until chat's events have all been handed to the search listener and its queue is
     * drained: from then on, the index reflects every change made so far.
     */
    void awaitIndexed() {
        Instant deadline = Instant.now().plus(INDEX_TIMEOUT);
        while (true) {
            long undelivered = jdbc.sql("""
                    SELECT count(*) FROM event_publication
                    WHERE completion_date IS NULL AND listener_id LIKE '%ChatIndexFeed%'
                    """).query(Long.class).single();
            long queued = jdbc.sql("SELECT count(*) FROM search.pending_message").query(Long.class).single();
            if (undelivered == 0 && queued == 0) {
                return;
            }
            assertThat(Instant.now()).as("index caught up (undelivered %d, queued %d)", undelivered, queued)
                    .isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
