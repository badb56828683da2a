package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Steps of retention and legal-hold tests: periods and holds set through REST, messages aged
 * and their stored state read with SQL, so "erased" and "kept" are checked where they are stored.
 */
final class RetentionSetup {

    private final TestClients clients;
    private final JdbcClient jdbc;

    RetentionSetup(TestClients clients, JdbcClient jdbc) {
        this.clients = clients;
        this.jdbc = jdbc;
    }

    TestUser orgAdmin() {
        return clients.user("retention-admin", List.of("employee", "org_admin"));
    }

    TestUser officer() {
        return clients.user("officer", List.of("employee", "compliance_officer"));
    }

    /** Gives the conversation its own period through REST, as an org_admin. */
    void override(TestUser admin, String conversationId, int days) {
        clients.rest(admin).exchange(HttpMethod.PUT, "/api/v1/retention/conversations/" + conversationId,
                body("messageRetentionDays", days)).ok();
    }

    /** Places a hold through REST, as a compliance officer; returns its id. */
    String hold(TestUser officer, String subjectType, Object subjectId, Instant from, Instant to) {
        return clients.rest(officer).post("/api/v1/legal-holds", body("subjectType", subjectType,
                "subjectId", subjectId, "from", from == null ? null : from.toString(),
                "to", to == null ? null : to.toString(), "reason", "Case " + UUID.randomUUID()))
                .status(201).json().get("id").asString();
    }

    void release(TestUser officer, String holdId) {
        clients.rest(officer).post("/api/v1/legal-holds/" + holdId + "/release", null).ok();
    }

    /** Pretends the message was sent {@code days} ago. */
    void ageDays(long messageId, int days) {
        int updated = jdbc.sql("UPDATE chat.message SET created_at = now() - make_interval(days => :days) WHERE id = :id")
                .param("days", days).param("id", messageId).update();
        assertThat(updated).isEqualTo(1);
    }

    /** A message as stored, with how many revisions and reactions it still has. */
    record Stored(long id, long seq, String body, boolean purged, int version, long revisions, long reactions) {
    }

    Stored stored(long messageId) {
        return jdbc.sql("""
                SELECT m.id, m.seq, m.body, m.purged_at IS NOT NULL AS purged, m.version,
                       (SELECT count(*) FROM chat.message_revision r WHERE r.message_id = m.id) AS revisions,
                       (SELECT count(*) FROM chat.reaction x WHERE x.message_id = m.id) AS reactions
                FROM chat.message m WHERE m.id = :id
                """)
                .param("id", messageId)
                .query((rs, n) -> new Stored(rs.getLong("id"), rs.getLong("seq"), rs.getString("body"),
                        rs.getBoolean("purged"), rs.getInt("version"), rs.getLong("revisions"),
                        rs.getLong("reactions")))
                .single();
    }

    boolean purged(long messageId) {
        return stored(messageId).purged();
    }

    /** Puts the global period back to "forever", which every other test expects. */
    void keepForever() {
        jdbc.sql("""
                INSERT INTO chat.retention_policy (conversation_id, retention_days, updated_by, updated_at)
                VALUES (NULL, NULL, '00000000-0000-0000-0000-000000000000', now())
                ON CONFLICT ON CONSTRAINT retention_policy_scope_unique DO UPDATE SET retention_days = NULL
                """).update();
    }
}
