package io.chorus.approval.internal;

import io.chorus.approval.ApprovalPage;
import io.chorus.approval.InstanceQuery;
import io.chorus.approval.InstanceSummary;
import io.chorus.approval.InstanceView;
import io.chorus.approval.TaskQuery;
import io.chorus.approval.TaskSummary;
import io.chorus.platform.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lists: my requests, requests CC'd to me, all requests (org_admins), my tasks. Newest first,
 * with keyset cursors on (time, id), each on an index that starts with the caller's id.
 */
@Component
class InstanceQueries {

    static final String INSTANCES = """
            SELECT i.id, i.template_id, i.title, i.requester_id, i.submitted_by, i.state, i.current_step,
                   i.submitted_at, i.completed_at
            FROM approval.instance i
            WHERE (CAST(:templateId AS uuid) IS NULL OR i.template_id = :templateId)
              AND (CAST(:state AS text) IS NULL OR i.state = :state)
              AND (CAST(:from AS timestamptz) IS NULL OR i.submitted_at >= :from)
              AND (CAST(:to AS timestamptz) IS NULL OR i.submitted_at < :to)
              AND (CAST(:afterAt AS timestamptz) IS NULL OR (i.submitted_at, i.id) < (:afterAt, :afterId))
            """;

    static final String MINE = INSTANCES + """
              AND i.id IN (SELECT id FROM approval.instance WHERE requester_id = :me
                           UNION SELECT id FROM approval.instance WHERE submitted_by = :me)
            ORDER BY i.submitted_at DESC, i.id DESC LIMIT :limit
            """;

    static final String CC = INSTANCES + """
              AND EXISTS (SELECT 1 FROM approval.participant p
                          WHERE p.instance_id = i.id AND p.user_id = :me AND p.role = 'CC')
            ORDER BY i.submitted_at DESC, i.id DESC LIMIT :limit
            """;

    static final String ALL = INSTANCES + " ORDER BY i.submitted_at DESC, i.id DESC LIMIT :limit";

    static final String TASKS = """
            SELECT t.id, t.instance_id, i.template_id, i.title, i.requester_id, i.state AS instance_state, t.step,
                   i.route -> 'steps' -> t.step ->> 'name' AS step_name, t.state, t.created_at, t.decided_at
            FROM approval.task t
            JOIN approval.instance i ON i.id = t.instance_id
            WHERE t.approver_id = :me
              AND (:filter = 'ALL' OR (:filter = 'PENDING' AND t.state = 'PENDING')
                   OR (:filter = 'HANDLED' AND t.state IN ('APPROVED', 'REJECTED', 'TRANSFERRED')
                       AND t.origin <> 'DEDUPED'))
              AND (CAST(:templateId AS uuid) IS NULL OR i.template_id = :templateId)
              AND (CAST(:from AS timestamptz) IS NULL OR t.created_at >= :from)
              AND (CAST(:to AS timestamptz) IS NULL OR t.created_at < :to)
              AND (CAST(:afterAt AS timestamptz) IS NULL OR (t.created_at, t.id) < (:afterAt, :afterId))
            ORDER BY t.created_at DESC, t.id DESC LIMIT :limit
            """;

    private final JdbcClient jdbc;

    InstanceQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    ApprovalPage<InstanceSummary> instances(UUID me, InstanceQuery query) {
        String sql = switch (query.view()) {
            case SUBMITTED -> MINE;
            case CC -> CC;
            case ALL -> ALL;
        };
        Cursor after = Cursor.parse(query.cursor());
        List<InstanceSummary> rows = jdbc.sql(sql)
                .param("me", me)
                .param("templateId", query.templateId())
                .param("state", query.state() == null ? null : query.state().name())
                .param("from", timestamp(query.from())).param("to", timestamp(query.to()))
                .param("afterAt", after == null ? null : Timestamp.from(after.at()))
                .param("afterId", after == null ? null : after.id())
                .param("limit", query.limit() + 1)
                .query((rs, n) -> summary(rs)).list();
        return page(rows, query.limit(), last -> new Cursor(last.submittedAt(), last.id()));
    }

    ApprovalPage<TaskSummary> tasks(UUID me, TaskQuery query) {
        Cursor after = Cursor.parse(query.cursor());
        List<TaskSummary> rows = jdbc.sql(TASKS)
                .param("me", me)
                .param("filter", query.state().name())
                .param("templateId", query.templateId())
                .param("from", timestamp(query.from())).param("to", timestamp(query.to()))
                .param("afterAt", after == null ? null : Timestamp.from(after.at()))
                .param("afterId", after == null ? null : after.id())
                .param("limit", query.limit() + 1)
                .query((rs, n) -> new TaskSummary(rs.getObject("id", UUID.class),
                        rs.getObject("instance_id", UUID.class), rs.getObject("template_id", UUID.class),
                        rs.getString("title"), rs.getObject("requester_id", UUID.class),
                        InstanceView.State.valueOf(rs.getString("instance_state")), rs.getInt("step"),
                        rs.getString("step_name"), rs.getString("state"), instant(rs, "created_at"),
                        instant(rs, "decided_at")))
                .list();
        return page(rows, query.limit(), last -> new Cursor(last.createdAt(), last.id()));
    }

    private static <T> ApprovalPage<T> page(List<T> rows, int limit, java.util.function.Function<T, Cursor> cursor) {
        if (rows.size() <= limit) {
            return new ApprovalPage<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new ApprovalPage<>(List.copyOf(items), cursor.apply(items.getLast()).encode());
    }

    private record Cursor(Instant at, UUID id) {

        String encode() {
            return PageCursor.encode(at.toString(), id.toString());
        }

        static Cursor parse(String cursor) {
            if (cursor == null) {
                return null;
            }
            List<String> parts = PageCursor.decode(cursor, 2);
            try {
                return new Cursor(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1)));
            } catch (RuntimeException malformed) {
                throw PageCursor.malformed();
            }
        }
    }

    private static InstanceSummary summary(ResultSet rs) throws SQLException {
        return new InstanceSummary(rs.getObject("id", UUID.class), rs.getObject("template_id", UUID.class),
                rs.getString("title"), rs.getObject("requester_id", UUID.class),
                rs.getObject("submitted_by", UUID.class), InstanceView.State.valueOf(rs.getString("state")),
                rs.getObject("current_step", Integer.class), instant(rs, "submitted_at"), instant(rs, "completed_at"));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
