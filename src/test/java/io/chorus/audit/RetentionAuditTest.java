package io.chorus.audit;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.chat.MessageRetention;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Retention policies, purges and legal holds all land in the audit trail. */
@ChorusIntegrationTest
class RetentionAuditTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MessageRetention retention;

    @Test
    void policyChangesPurgesAndHoldsAreAudited() {
        AuditSetup audit = new AuditSetup(clients, trail, jdbc);
        TestUser officer = audit.officer();
        TestUser admin = clients.orgAdmin();
        TestUser alice = clients.user("alice");
        RestApi asAlice = clients.rest(alice);
        String group = asAlice.post("/api/v1/conversations/groups", body("name", "Short-lived", "memberIds",
                List.of())).status(201).json().get("id").asString();
        long old = asAlice.post("/api/v1/conversations/" + group + "/messages", body("clientMessageId", "r-1",
                "text", "old news")).status(201).json().get("id").asLong();
        asAlice.post("/api/v1/conversations/" + group + "/messages", body("clientMessageId", "r-2", "text", "fresh"))
                .status(201);
        clients.rest(admin).exchange(HttpMethod.PUT, "/api/v1/retention/conversations/" + group,
                body("messageRetentionDays", 30)).ok();
        jdbc.sql("UPDATE chat.message SET created_at = now() - interval '31 days' WHERE id = :id")
                .param("id", old).update();
        retention.purgeExpired();
        String hold = clients.rest(officer).post("/api/v1/legal-holds", body("subjectType", "CONVERSATION",
                "subjectId", group, "reason", "Litigation 2026-17")).status(201).json().get("id").asString();
        clients.rest(officer).post("/api/v1/legal-holds/" + hold + "/release", null).ok();

        List<JsonNode> entries = audit.awaitEntries(officer, "conversationId=" + group,
                found -> audit.actions(found).contains("legal_hold.released"));

        // The trail chains entries as their listeners finish, which need not be the order the changes
        // happened in; their occurredAt is.
        List<JsonNode> inOrder = entries.stream().sorted(java.util.Comparator.comparing(entry ->
                java.time.Instant.parse(entry.get("occurredAt").asString()))).toList();
        assertThat(audit.actions(inOrder)).containsSubsequence("retention.policy_changed",
                "retention.messages_purged", "legal_hold.placed", "legal_hold.released");
        JsonNode policy = find(entries, "retention.policy_changed");
        assertThat(policy.get("actorId").asString()).isEqualTo(admin.id().toString());
        assertThat(policy.get("detail").get("newDays").asInt()).isEqualTo(30);
        JsonNode purge = find(entries, "retention.messages_purged");
        assertThat(purge.get("actorType").asString()).isEqualTo("SYSTEM");
        assertThat(purge.get("detail").get("count").asInt()).isEqualTo(1);
        assertThat(purge.get("detail").get("fromSeq").asLong()).isEqualTo(1);
        assertThat(purge.get("detail").get("toSeq").asLong()).isEqualTo(1);
        JsonNode placed = find(entries, "legal_hold.placed");
        assertThat(placed.get("actorId").asString()).isEqualTo(officer.id().toString());
        assertThat(placed.get("targetId").asString()).isEqualTo(hold);
        assertThat(placed.get("detail").get("reason").asString()).isEqualTo("Litigation 2026-17");
    }

    private static JsonNode find(List<JsonNode> entries, String action) {
        return entries.stream().filter(e -> e.get("action").asString().equals(action)).findFirst().orElseThrow();
    }
}
