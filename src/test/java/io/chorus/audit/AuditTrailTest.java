package io.chorus.audit;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.chat.ChatEvents;
import io.chorus.chat.ConversationId;
import io.chorus.identity.UserId;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

@ChorusIntegrationTest
class AuditTrailTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    TransactionTemplate transactions;

    AuditSetup audit;

    @BeforeEach
    void setUp() {
        audit = new AuditSetup(clients, trail, jdbc);
    }

    @Test
    void chatActionsBecomeEntriesInOrderAndTheChainVerifies() {
        TestUser alice = clients.user("alice");
        TestUser bob = clients.user("bob");
        TestUser officer = audit.officer();
        RestApi asAlice = clients.rest(alice);
        String group = asAlice.post("/api/v1/conversations/groups", body("name", "Audit room",
                "memberIds", List.of(bob.id()))).status(201).json().get("id").asString();
        JsonNode message = asAlice.post("/api/v1/conversations/" + group + "/messages",
                body("clientMessageId", "a-1", "text", "budget is 100")).status(201).json();
        long id = message.get("id").asLong();
        asAlice.patch("/api/v1/conversations/" + group + "/messages/" + id, body("text", "budget is 120")).ok();
        asAlice.post("/api/v1/conversations/" + group + "/messages/" + id + "/recall", null).ok();
        asAlice.delete("/api/v1/conversations/" + group + "/members/" + bob.id()).status(204);

        List<JsonNode> entries = audit.awaitEntries(officer, "conversationId=" + group,
                found -> found.size() >= 7);

        // The group's creation and its first members are one transaction, one instant: their
        // listeners run concurrently, so those three come in any order among themselves.
        assertThat(audit.actions(entries.subList(0, 3))).containsExactlyInAnyOrder("conversation.created",
                "conversation.member_added", "conversation.member_added");
        assertThat(audit.actions(entries.subList(3, entries.size()))).containsExactly("message.posted",
                "message.edited", "message.recalled", "conversation.member_removed");
        JsonNode edit = entries.get(4);
        assertThat(edit.get("actorType").asString()).isEqualTo("USER");
        assertThat(edit.get("actorId").asString()).isEqualTo(alice.id().toString());
        assertThat(edit.get("targetType").asString()).isEqualTo("MESSAGE");
        assertThat(edit.get("targetId").asString()).isEqualTo(Long.toString(id));
        assertThat(edit.get("detail").get("oldText").asString()).isEqualTo("budget is 100");
        assertThat(edit.get("detail").get("newText").asString()).isEqualTo("budget is 120");
        JsonNode removal = entries.get(6);
        assertThat(removal.get("targetId").asString()).isEqualTo(bob.id().toString());
        // Chain order is entry order, and each entry's predecessor is named by its prev_hash.
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).get("seq").asLong()).isGreaterThan(entries.get(i - 1).get("seq").asLong());
        }
        JsonNode verdict = clients.rest(officer).get("/api/v1/audit/verify").ok().json();
        assertThat(verdict.get("intact").asBoolean()).as("verify: %s", verdict).isTrue();
        assertThat(verdict.get("entriesChecked").asLong()).isEqualTo(verdict.get("headSeq").asLong());
    }

    @Test
    void theApplicationsConnectionCannotChangeOrRemoveEntries() {
        TestUser officer = audit.officer();
        clients.rest(officer).get("/api/v1/audit/verify").ok();
        clients.rest(officer).post("/api/v1/audit/checkpoints", null).status(201);
        trail.flush();
        long seq = jdbc.sql("SELECT max(seq) FROM audit.entry").query(Long.class).single();
        String detail = jdbc.sql("SELECT detail FROM audit.entry WHERE seq = :s").param("s", seq)
                .query(String.class).single();

        // As the owner (local mode, the default tests) the append-only triggers refuse; as the
        // production application role (docs/operations.md) the privileges already do.
        String refusal = jdbc.sql("SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
                + "WHERE schemaname = 'audit' AND tablename = 'entry'").query(Boolean.class).single()
                ? "append-only" : "permission denied";
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit.entry SET detail = '{}' WHERE seq = :s").param("s", seq)
                .update()).isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining(refusal);
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit.entry WHERE seq = :s").param("s", seq).update())
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining(refusal);
        assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit.entry").update())
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining(refusal);
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit.checkpoint").update())
                .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining(refusal);

        assertThat(jdbc.sql("SELECT detail FROM audit.entry WHERE seq = :s").param("s", seq)
                .query(String.class).single()).isEqualTo(detail);
    }

    @Test
    void tenThousandConcurrentEventsMakeOneUnbrokenChain() throws Exception {
        TestUser officer = audit.officer();
        UUID conversation = UUID.randomUUID();
        int threads = 16;
        int perThread = 625;
        long ids = AuditSetup.unusedMessageIds();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    long n = (long) thread * perThread + i + 1;
                    transactions.executeWithoutResult(status -> events.publishEvent(new ChatEvents.MessagePosted(
                            ConversationId.of(conversation), ids + n, n, UserId.of(UUID.randomUUID()), "load " + n,
                            Instant.now())));
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        List<JsonNode> entries = audit.awaitEntries(officer, "conversationId=" + conversation,
                found -> found.size() >= threads * perThread);

        assertThat(entries).hasSize(threads * perThread);
        assertThat(entries.stream().map(entry -> entry.get("targetId").asString()).distinct().count())
                .as("each event recorded once").isEqualTo(threads * perThread);
        // One statement, one snapshot: the chain writer may append other entries meanwhile.
        long[] chain = jdbc.sql("SELECT min(seq), max(seq), count(*) FROM audit.entry")
                .query((rs, n) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).single();
        assertThat(chain[0]).isEqualTo(1);
        assertThat(chain[2]).as("seqs without gaps").isEqualTo(chain[1]);
        JsonNode verdict = clients.rest(officer).get("/api/v1/audit/verify").ok().json();
        assertThat(verdict.get("intact").asBoolean()).as("verify: %s", verdict).isTrue();
        assertThat(verdict.get("entriesChecked").asLong()).isGreaterThanOrEqualTo(threads * perThread);
    }

    @Test
    void aRedeliveredEventIsRecordedOnce() {
        TestUser officer = audit.officer();
        UUID conversation = UUID.randomUUID();
        long ids = AuditSetup.unusedMessageIds();
        var posted = new ChatEvents.MessagePosted(ConversationId.of(conversation), ids + 1, 1,
                UserId.of(UUID.randomUUID()), "twice", Instant.now());
        transactions.executeWithoutResult(status -> events.publishEvent(posted));
        audit.awaitEntries(officer, "conversationId=" + conversation, found -> found.size() == 1);
        transactions.executeWithoutResult(status -> events.publishEvent(posted));
        transactions.executeWithoutResult(status -> events.publishEvent(new ChatEvents.MessagePosted(
                ConversationId.of(conversation), ids + 2, 2, posted.sender(), "other", Instant.now())));

        List<JsonNode> entries = audit.awaitEntries(officer, "conversationId=" + conversation,
                found -> found.size() >= 2);

        assertThat(entries).extracting(entry -> entry.get("targetId").asString())
                .containsExactly(Long.toString(ids + 1), Long.toString(ids + 2));
    }

    @Test
    void everyAuditEndpointRefusesOtherRoles() {
        TestUser employee = clients.user("nosy");
        TestUser admin = clients.orgAdmin();
        for (TestUser caller : List.of(employee, admin)) {
            RestApi api = clients.rest(caller);
            api.get("/api/v1/audit/events").problem(403, "FORBIDDEN");
            api.get("/api/v1/audit/export?format=csv").problem(403, "FORBIDDEN");
            api.get("/api/v1/audit/verify").problem(403, "FORBIDDEN");
            api.get("/api/v1/audit/checkpoints").problem(403, "FORBIDDEN");
            api.post("/api/v1/audit/checkpoints", null).problem(403, "FORBIDDEN");
        }
        clients.rest(employee).exchange(org.springframework.http.HttpMethod.PUT, "/api/v1/audit/officers/"
                + employee.id() + "/scope", body("departmentIds", List.of())).problem(403, "FORBIDDEN");
        clients.anonymous().get("/api/v1/audit/events").problem(401, "UNAUTHENTICATED");
    }

    @Test
    void queriesExportsAndVerificationsAreThemselvesAudited() {
        TestUser officer = audit.officer();
        UUID conversation = UUID.randomUUID();
        RestApi api = clients.rest(officer);
        api.get("/api/v1/audit/events?action=message.posted&conversationId=" + conversation).ok();
        api.get("/api/v1/audit/export?format=jsonl&conversationId=" + conversation).ok();
        api.get("/api/v1/audit/verify?fromSeq=1&toSeq=2").ok();

        List<JsonNode> own = audit.awaitEntries(officer, "actorId=" + officer.id(),
                found -> audit.actions(found).contains("audit.chain_verified"));

        assertThat(audit.actions(own)).containsSubsequence("audit.events_queried", "audit.events_exported",
                "audit.chain_verified");
        JsonNode query = own.stream().filter(e -> e.get("action").asString().equals("audit.events_queried"))
                .findFirst().orElseThrow();
        assertThat(query.get("detail").get("filters").get("action").asString()).isEqualTo("message.posted");
        assertThat(query.get("detail").get("filters").get("conversationId").asString())
                .isEqualTo(conversation.toString());
        assertThat(query.get("sourceIp").asString()).isNotBlank();
        JsonNode export = own.stream().filter(e -> e.get("action").asString().equals("audit.events_exported"))
                .findFirst().orElseThrow();
        assertThat(export.get("detail").get("format").asString()).isEqualTo("jsonl");
    }

    @Test
    void badQueriesAreRefusedWithProblems() {
        RestApi api = clients.rest(audit.officer());
        api.get("/api/v1/audit/export?format=xml").problem(400, "UNSUPPORTED_EXPORT_FORMAT");
        api.get("/api/v1/audit/events?targetId=5").problem(400, "VALIDATION_FAILED");
        api.get("/api/v1/audit/events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")
                .problem(400, "VALIDATION_FAILED");
        api.get("/api/v1/audit/events?from=yesterday").problem(400, "VALIDATION_FAILED");
        api.get("/api/v1/audit/events?cursor=bm90LW91cnM").problem(400, "VALIDATION_FAILED");
        api.get("/api/v1/audit/verify?fromSeq=9&toSeq=3").problem(400, "VALIDATION_FAILED");
    }

    @Test
    void pagesFollowTheChainWithoutRepeatsOrGaps() {
        TestUser officer = audit.officer();
        UUID conversation = UUID.randomUUID();
        long ids = AuditSetup.unusedMessageIds();
        for (int i = 1; i <= 7; i++) {
            long n = i;
            transactions.executeWithoutResult(status -> events.publishEvent(new ChatEvents.MessagePosted(
                    ConversationId.of(conversation), ids + n, n, UserId.of(UUID.randomUUID()), "m", Instant.now())));
        }
        audit.awaitEntries(officer, "conversationId=" + conversation, found -> found.size() == 7);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = clients.rest(officer).get("/api/v1/audit/events?limit=3&conversationId=" + conversation
                    + (cursor == null ? "" : "&cursor=" + cursor)).ok().json();
            page.get("items").forEach(item -> seen.add(item.get("targetId").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(ids + 1, ids + 7)
                .mapToObj(Long::toString).toList()).doesNotHaveDuplicates();
    }
}
