package io.chorus.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.audit.AuditTrail;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.DatabaseSuperuser;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Audit entries have a retention of their own; what is kept still verifies. Own database (own property). */
@ChorusIntegrationTest
@TestPropertySource(properties = "chorus.audit.entry-retention=30d")
class EntryRetentionTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    EntryRetention retention;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

    @Test
    void expiredEntriesGoAsAPrefixAndTheRestStillVerifies() {
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        for (int i = 0; i < 5; i++) {
            clients.rest(officer).get("/api/v1/audit/events?action=nothing").ok();
        }
        trail.flush();
        long head = jdbc.sql("SELECT max(seq) FROM audit.entry").query(Long.class).single();
        long oldUpTo = head - 2;
        // Make the older part of the chain 40 days old, as only a superuser could.
        superuser().tamper(sql -> sql.sql(
                        "UPDATE audit.entry SET recorded_at = recorded_at - interval '40 days' WHERE seq <= :s")
                .param("s", oldUpTo).update());
        assertThat(clients.rest(officer).get("/api/v1/audit/verify").ok().json().get("intact").asBoolean())
                .as("ageing recorded_at is itself tampering").isFalse();
        // Re-hash the aged prefix so only its age differs from a genuinely old chain.
        rehashUpTo(oldUpTo);
        assertThat(clients.rest(officer).get("/api/v1/audit/verify").ok().json().get("intact").asBoolean()).isTrue();

        long removed = retention.purgeExpired();

        assertThat(removed).isEqualTo(oldUpTo);
        assertThat(jdbc.sql("SELECT min(seq) FROM audit.entry").query(Long.class).single()).isEqualTo(oldUpTo + 1);
        JsonNode verdict = clients.rest(officer).get("/api/v1/audit/verify").ok().json();
        assertThat(verdict.get("intact").asBoolean()).as("verify: %s", verdict).isTrue();
        assertThat(verdict.get("fromSeq").asLong()).isEqualTo(oldUpTo + 1);
        trail.flush();
        JsonNode recorded = jdbc.sql("SELECT detail FROM audit.entry WHERE action = 'audit.entries_removed'")
                .query(String.class).list().stream().map(clients.json()::readTree).findFirst().orElseThrow();
        assertThat(recorded.get("count").asLong()).isEqualTo(oldUpTo);
        assertThat(retention.purgeExpired()).as("nothing more has expired").isZero();
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit.entry WHERE seq = :s").param("s", oldUpTo + 1)
                .update()).isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit.chain_anchor").update())
                .isInstanceOf(DataAccessException.class);
    }

    private DatabaseSuperuser superuser() {
        return DatabaseSuperuser.of(dataSource);
    }

    private void rehashUpTo(long upTo) {
        superuser().tamper(jdbc -> {
            // Hold the chain writer off while the chain is re-linked.
            long head = jdbc.sql("SELECT last_seq FROM audit.chain_head FOR UPDATE").query(Long.class).single();
            byte[] previous = EntryHash.GENESIS;
            for (long seq = 1; seq <= head; seq++) {
                var row = jdbc.sql("SELECT * FROM audit.entry WHERE seq = :s").param("s", seq).query().singleRow();
                byte[] hash = EntryHash.of(new EntryHash.Content(seq, (String) row.get("event_key"),
                        ((java.sql.Timestamp) row.get("occurred_at")).toInstant(),
                        ((java.sql.Timestamp) row.get("recorded_at")).toInstant(), (String) row.get("actor_type"),
                        (java.util.UUID) row.get("actor_id"), (String) row.get("action"),
                        (String) row.get("target_type"), (String) row.get("target_id"),
                        (java.util.UUID) row.get("conversation_id"), (java.util.UUID) row.get("department_id"),
                        (String) row.get("source_ip"), (String) row.get("session_id"), (String) row.get("detail"),
                        previous));
                jdbc.sql("UPDATE audit.entry SET prev_hash = :p, hash = :h WHERE seq = :s")
                        .param("p", previous).param("h", hash).param("s", seq).update();
                previous = hash;
            }
            jdbc.sql("UPDATE audit.chain_head SET last_hash = :h WHERE last_seq = :s").param("h", previous)
                    .param("s", head).update();
        });
    }
}
