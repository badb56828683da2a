package io.chorus.approval.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The approval lists and the timer sweep use their indexes: with 60,000 requests and 120,000
 * tasks across 2,000 people (statistics analysed), the plans for exactly the SQL the module runs
 * must not scan a whole table.
 */
@ChorusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalQueryPlanTest {

    private static final int INSTANCES = 60_000;

    @Autowired
    JdbcClient jdbc;

    private final UUID template = UUID.randomUUID();
    private final UUID viewer = UUID.randomUUID();

    @BeforeAll
    void loadAVolumeWorthPlanningFor() {
        jdbc.sql("""
                INSERT INTO approval.template (id, name, category, enabled, current_version, created_by, created_at,
                                               updated_at, version)
                VALUES (:t, 'Plan check', 'HR', true, 1, :v, now(), now(), 0)
                """).param("t", template).param("v", viewer).update();
        jdbc.sql("""
                INSERT INTO approval.template_version (template_id, version, name, category, form, flow, settings,
                                                       published_by, published_at)
                VALUES (:t, 1, 'Plan check', 'HR', '{}', '[]', '{}', :v, now())
                """).param("t", template).param("v", viewer).update();
        // 2,000 requesters (one of them the viewer) file 30 requests each over a year.
        jdbc.sql("""
                INSERT INTO approval.instance (id, template_id, template_version, title, requester_id, submitted_by,
                                               form, route, chosen_approvers, state, current_step, submitted_at,
                                               updated_at, version)
                SELECT gen_random_uuid(), :t, 1, 'Request ' || g, r, r, '{}', '{"steps": []}', '{}',
                       CASE WHEN g % 10 = 0 THEN 'PENDING' ELSE 'APPROVED' END, 0,
                       now() - g * interval '9 minutes', now(), 0
                FROM generate_series(1, :n) g,
                     LATERAL (SELECT CASE WHEN g % 2000 = 0 THEN CAST(:v AS uuid)
                                          ELSE md5('requester' || (g % 2000))::uuid END AS r) people
                """).param("t", template).param("v", viewer).param("n", INSTANCES).update();
        jdbc.sql("""
                INSERT INTO approval.task (id, instance_id, step, position, approver_id, origin, state, created_at,
                                           remind_at, escalate_at)
                SELECT gen_random_uuid(), i.id, s, 0,
                       CASE WHEN (abs(hashtext(i.id::text)) + s) % 2000 = 0 THEN CAST(:v AS uuid)
                            ELSE md5('approver' || ((abs(hashtext(i.id::text)) + s) % 2000))::uuid END,
                       'RESOLVED', CASE WHEN i.state = 'PENDING' THEN 'PENDING' ELSE 'APPROVED' END, i.submitted_at,
                       i.submitted_at + interval '1 day', i.submitted_at + interval '2 days'
                FROM approval.instance i CROSS JOIN generate_series(0, 1) s
                WHERE i.template_id = :t
                """).param("t", template).param("v", viewer).update();
        jdbc.sql("ANALYZE approval.instance").update();
        jdbc.sql("ANALYZE approval.task").update();
        jdbc.sql("ANALYZE approval.participant").update();
    }

    private Map<String, Object> listParameters(String filter) {
        Map<String, Object> params = new HashMap<>();
        params.put("me", viewer);
        params.put("filter", filter);
        params.put("templateId", null);
        params.put("state", null);
        params.put("from", null);
        params.put("to", null);
        params.put("afterAt", null);
        params.put("afterId", null);
        params.put("limit", 51);
        return params;
    }

    @Test
    void myPendingTasksStartFromTheApproversIndex() {
        String plan = explain(InstanceQueries.TASKS, listParameters("PENDING"));
        assertThat(plan).containsAnyOf("task_pending_by_approver", "task_by_approver")
                .doesNotContain("Seq Scan on task");
    }

    @Test
    void mySubmissionsStartFromTheRequesterAndSubmitterIndexes() {
        String plan = explain(InstanceQueries.MINE, listParameters("ALL"));
        assertThat(plan).contains("instance_by_requester", "instance_by_submitter")
                .doesNotContain("Seq Scan on instance");
    }

    @Test
    void ccListsStartFromTheParticipantIndex() {
        String plan = explain(InstanceQueries.CC, listParameters("ALL"));
        assertThat(plan).doesNotContain("Seq Scan on instance");
    }

    @Test
    void theTimerSweepReadsOnlyDueTasksThroughItsPartialIndexes() {
        String plan = explain(ApprovalTimers.DUE, Map.of("now", Timestamp.from(Instant.now().minusSeconds(86_400 * 300)),
                "batch", 200));
        assertThat(plan).contains("task_reminder_due", "task_escalation_due").doesNotContain("Seq Scan on task");
    }

    private String explain(String sql, Map<String, ?> params) {
        String plan = String.join("\n", jdbc.sql("EXPLAIN " + sql).params(params).query(String.class).list());
        System.out.println(plan);
        return plan;
    }
}
