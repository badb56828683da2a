package io.chorus.audit;

import static org.awaitility.Awaitility.await;

import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Steps the audit tests share: officers, queries that walk every page, waiting for entries to be chained. */
public final class AuditSetup {

    private final TestClients clients;
    private final AuditTrail trail;
    private final JdbcClient jdbc;

    AuditSetup(TestClients clients, AuditTrail trail, JdbcClient jdbc) {
        this.clients = clients;
        this.trail = trail;
        this.jdbc = jdbc;
    }

    TestUser officer() {
        return clients.user("officer", List.of("employee", "compliance_officer"));
    }

    /** Every entry matching {@code query} (a query string without cursor), walking all pages. */
    List<JsonNode> entries(TestUser officer, String query) {
        RestApi api = clients.rest(officer);
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/v1/audit/events?limit=1000&" + query
                    + (cursor == null ? "" : "&cursor=" + cursor)).ok().json();
            page.get("items").forEach(all::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return all;
    }

    /** Waits until the events' listeners have run and their entries are chained, then returns them. */
    List<JsonNode> awaitEntries(TestUser officer, String query, Predicate<List<JsonNode>> complete) {
        List<List<JsonNode>> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            trail.flush();
            List<JsonNode> entries = entries(officer, query);
            found.add(entries);
            return complete.test(entries);
        });
        return found.getLast();
    }

    List<String> actions(List<JsonNode> entries) {
        return entries.stream().map(entry -> entry.get("action").asString()).toList();
    }

    /**
     * The first of a range of message ids no real message has (far above them) and no other
     * caller gets: a made-up MessagePosted must not share its audit key with a real one.
     */
    public static long unusedMessageIds() {
        return FAKE_IDS.addAndGet(1_000_000);
    }

    private static final AtomicLong FAKE_IDS = new AtomicLong(
            ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50));

    long pending() {
        return jdbc.sql("SELECT count(*) FROM audit.pending_entry").query(Long.class).single();
    }
}
