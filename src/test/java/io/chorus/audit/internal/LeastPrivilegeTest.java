package io.chorus.audit.internal;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.audit.AuditTrail;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.DatabaseSuperuser;
import io.chorus.support.RestrictedDatabaseRoles;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The production roles (docs/operations.md, "PostgreSQL roles"): Flyway as the schema owner, the
 * application as a role that may add to the audit trail but never change or remove it, and audit
 * retention only through the owner's function. Runs on those roles whatever the build's setting.
 */
@ChorusIntegrationTest
@TestPropertySource(properties = RestrictedDatabaseRoles.SWITCH + "=restricted")
class LeastPrivilegeTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    Flyway flyway;

    @Test
    void theApplicationRunsAsARoleThatOwnsNothingAndFlywayAsTheOwner() {
        Map<String, Object> me = jdbc.sql("SELECT current_user AS name, rolsuper, rolcreaterole, rolcreatedb "
                + "FROM pg_roles WHERE rolname = current_user").query().singleRow();
        assertThat(me).containsEntry("name", RestrictedDatabaseRoles.APPLICATION).containsEntry("rolsuper", false)
                .containsEntry("rolcreaterole", false).containsEntry("rolcreatedb", false);
        assertThat(jdbc.sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname IN "
                        + "('audit', 'chat', 'identity', 'org', 'search', 'integration', 'platform', 'approval') "
                        + "OR tablename = 'event_publication'")
                .query(String.class).list()).containsExactly(RestrictedDatabaseRoles.OWNER);
        assertThat(DatabaseSuperuser.of(dataSource).jdbc().sql("SELECT DISTINCT installed_by FROM flyway_schema_history")
                .query(String.class).list()).as("Flyway ran as the owner").containsExactly(RestrictedDatabaseRoles.OWNER);
        assertThatThrownBy(() -> jdbc.sql("SELECT count(*) FROM flyway_schema_history").query(Long.class).single())
                .as("Flyway's history is the owner's alone").isInstanceOf(DataAccessException.class);
    }

    @Test
    void theApplicationCannotChangeOrRemoveTheAuditTrail() {
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        clients.rest(officer).post("/api/v1/audit/checkpoints", null).status(201);
        trail.flush();
        long seq = jdbc.sql("SELECT max(seq) FROM audit.entry").query(Long.class).single();

        for (String change : List.of("UPDATE audit.entry SET detail = '{}' WHERE seq = " + seq,
                "DELETE FROM audit.entry WHERE seq = " + seq,
                "TRUNCATE audit.entry",
                "UPDATE audit.checkpoint SET seq = 0",
                "DELETE FROM audit.checkpoint",
                "DELETE FROM audit.chain_anchor",
                "UPDATE audit.chain_head SET id = true",
                "ALTER TABLE audit.entry DISABLE TRIGGER entry_append_only")) {
            assertThatThrownBy(() -> jdbc.sql(change).update()).as(change)
                    .isInstanceOf(DataAccessException.class).rootCause()
                    .hasMessageMatching("(?s).*(permission denied|must be owner).*");
        }
        // The triggers' retention exception is no way round the missing privilege.
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql("SELECT set_config('chorus.audit_retention', 'on', true)").query(String.class).single();
            jdbc.sql("DELETE FROM audit.entry WHERE seq = :s").param("s", seq).update();
        })).isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
        assertThat(clients.rest(officer).get("/api/v1/audit/verify").ok().json().get("intact").asBoolean()).isTrue();
    }

    @Test
    void retentionThroughTheOwnersFunctionRemovesTheOldPrefixAndTheRestStillVerifies() {
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        clients.rest(officer).get("/api/v1/audit/events?action=before-the-cut").ok();
        trail.flush();
        Timestamp cutoff = jdbc.sql("SELECT clock_timestamp()").query(Timestamp.class).single();
        long lastBefore = jdbc.sql("SELECT max(seq) FROM audit.entry WHERE recorded_at < :c").param("c", cutoff)
                .query(Long.class).single();
        clients.rest(officer).get("/api/v1/audit/events?action=after-the-cut").ok();
        trail.flush();

        Map<String, Object> removed = jdbc.sql(
                        "SELECT from_seq, to_seq, removed FROM audit.remove_entries_recorded_before(:c)")
                .param("c", cutoff).query().singleRow();

        assertThat(removed.get("to_seq")).isEqualTo(lastBefore);
        assertThat((Long) removed.get("removed")).isEqualTo(lastBefore - (Long) removed.get("from_seq") + 1);
        assertThat(jdbc.sql("SELECT min(seq) FROM audit.entry").query(Long.class).single()).isEqualTo(lastBefore + 1);
        assertThat(jdbc.sql("SELECT seq FROM audit.chain_anchor ORDER BY seq DESC LIMIT 1").query(Long.class).single())
                .isEqualTo(lastBefore);
        JsonNode verdict = clients.rest(officer).get("/api/v1/audit/verify").ok().json();
        assertThat(verdict.get("intact").asBoolean()).as("verify: %s", verdict).isTrue();
        assertThat(verdict.get("fromSeq").asLong()).isEqualTo(lastBefore + 1);
        // Nothing not yet recorded can have expired: a cut-off in the future is refused.
        assertThatThrownBy(() -> jdbc.sql("SELECT * FROM audit.remove_entries_recorded_before(now() + interval '1 day')")
                .query().listOfRows()).isInstanceOf(DataAccessException.class).rootCause()
                .hasMessageContaining("not in the past");
    }

    /** The grants are applied after every migration: a broader hand-made grant is taken back at the next start. */
    @Test
    void theGrantsScriptTakesBackABroaderGrantOnTheTrail() {
        DatabaseSuperuser.of(dataSource).jdbc().sql("GRANT UPDATE, DELETE ON audit.entry, audit.checkpoint TO "
                + RestrictedDatabaseRoles.APPLICATION).update();
        assertThat(privileges("audit.entry")).as("granted by hand").contains("UPDATE", "DELETE");

        flyway.migrate();

        assertThat(privileges("audit.entry")).containsExactlyInAnyOrder("SELECT", "INSERT");
        assertThat(privileges("audit.checkpoint")).containsExactlyInAnyOrder("SELECT", "INSERT");
        assertThat(privileges("audit.pending_entry")).containsExactlyInAnyOrder("SELECT", "INSERT", "DELETE");
        assertThat(privileges("chat.message")).containsExactlyInAnyOrder("SELECT", "INSERT", "UPDATE", "DELETE");
        assertThat(jdbc.sql("SELECT has_column_privilege('audit.chain_head', 'last_seq', 'UPDATE') "
                + "AND NOT has_column_privilege('audit.chain_head', 'id', 'UPDATE')").query(Boolean.class).single())
                .as("the chain head: its two moving columns, nothing else").isTrue();
        // A conversation, a message, a search: the other modules work under the same role.
        TestUser alice = clients.user("alice");
        String group = clients.rest(alice).post("/api/v1/conversations/groups", body("name", "Least privilege",
                "memberIds", List.of())).status(201).json().get("id").asString();
        clients.rest(alice).post("/api/v1/conversations/" + group + "/messages",
                body("clientMessageId", "lp-1", "text", "granted")).status(201);
    }

    private List<String> privileges(String table) {
        return jdbc.sql("""
                SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
                WHERE has_table_privilege(:t, p)
                """).param("t", table).query(String.class).list();
    }
}
