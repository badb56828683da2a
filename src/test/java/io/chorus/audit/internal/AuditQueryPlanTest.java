package io.chorus.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.audit.AuditFilter;
import io.chorus.audit.AuditTrail;
import io.chorus.audit.ComplianceScope;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.DatabaseSuperuser;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The compliance filters use their indexes at 100,000 entries: EXPLAIN of the exact page query. */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditQueryPlanTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    NamedParameterJdbcTemplate named;
    @Autowired
    AuditTrail trail;
    @Autowired
    DataSource dataSource;

    final String prefix = "plan-" + UUID.randomUUID().toString().substring(0, 8);
    UUID someActor;
    UUID someConversation;
    Set<UUID> scopeUsers = new HashSet<>();

    @BeforeAll
    void loadAVolumeWorthPlanningFor() {
        jdbc.sql("""
                INSERT INTO audit.pending_entry (event_key, occurred_at, actor_type, actor_id, action, target_type,
                                                 target_id, conversation_id, detail)
                SELECT :p || ':' || n, now() - (n || ' seconds')::interval, 'USER',
                       md5(:p || 'actor' || (n % 1000))::uuid, :p || '.action' || (n % 20), 'USER',
                       md5(:p || 'target' || (n % 2000))::text, md5(:p || 'conv' || (n % 500))::uuid, '{}'
                FROM generate_series(1, 100000) AS n
                """).param("p", prefix).update();
        trail.flush();
        // Only the table's owner may ANALYZE it (the application's role merely gets a warning).
        DatabaseSuperuser.of(dataSource).jdbc().sql("ANALYZE audit.entry").update();
        someActor = jdbc.sql("SELECT md5(:p || 'actor7')::uuid").param("p", prefix).query(UUID.class).single();
        someConversation = jdbc.sql("SELECT md5(:p || 'conv7')::uuid").param("p", prefix).query(UUID.class).single();
        scopeUsers = jdbc.sql("SELECT md5(:p || 'actor' || n)::uuid FROM generate_series(1, 50) n").param("p", prefix)
                .query(UUID.class).list().stream().collect(Collectors.toSet());
    }

    @Test
    void byActorUsesTheActorIndex() {
        assertThat(plan(filter(someActor, null, null), ComplianceScope.everything()))
                .contains("entry_by_actor").doesNotContain("Seq Scan");
    }

    @Test
    void byConversationUsesTheConversationIndex() {
        assertThat(plan(filter(null, null, someConversation), ComplianceScope.everything()))
                .contains("entry_by_conversation").doesNotContain("Seq Scan");
    }

    /** A common action (one entry in 20) is found walking the chain order; either index beats a scan. */
    @Test
    void byActionNeverScansTheTrail() {
        assertThat(plan(filter(null, prefix + ".action3", null), ComplianceScope.everything()))
                .containsAnyOf("entry_by_action", "entry_pkey").doesNotContain("Seq Scan");
    }

    @Test
    void aScopedOfficersQueryCombinesTheScopeIndexes() {
        ComplianceScope scope = new ComplianceScope(false, Set.of(UUID.randomUUID()), scopeUsers);
        assertThat(plan(AuditFilter.none(), scope)).doesNotContain("Seq Scan");
    }

    private static AuditFilter filter(UUID actor, String action, UUID conversation) {
        return new AuditFilter(actor, action, null, null, conversation, null, null, null);
    }

    private String plan(AuditFilter filter, ComplianceScope scope) {
        EntryStore.Where where = EntryStore.Where.of(filter, scope);
        MapSqlParameterSource params = where.params().addValue("after", 0L).addValue("n", 51);
        String plan = String.join("\n", named.queryForList("EXPLAIN " + EntryStore.pageSql(where), params,
                String.class));
        return plan;
    }
}
