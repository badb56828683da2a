package io.chorus.chat.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which conversation is which department's group. */
@Repository
public class DepartmentGroupStore {

    private final JdbcClient jdbc;

    DepartmentGroupStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record DepartmentGroupRow(UUID conversationId, UUID departmentId, boolean includeSubDepartments,
            boolean archived) {
    }

    private static final String COLUMNS = """
            SELECT g.conversation_id, g.department_id, g.include_sub_departments, c.archived
            FROM chat.department_group g JOIN chat.conversation c ON c.id = g.conversation_id
            """;

    /** Serialises creating a department's group, so two requests at once make one group. */
    public void lockDepartment(UUID departmentId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "chat.department-group:" + departmentId).query().singleValue();
    }

    /** True when this call linked the conversation; false when the department already has a group. */
    public boolean insertIfAbsent(UUID conversationId, UUID departmentId, boolean includeSubDepartments) {
        return jdbc.sql("""
                INSERT INTO chat.department_group (conversation_id, department_id, include_sub_departments)
                VALUES (:c, :d, :sub) ON CONFLICT (department_id) DO NOTHING
                """).param("c", conversationId).param("d", departmentId).param("sub", includeSubDepartments)
                .update() == 1;
    }

    public Optional<DepartmentGroupRow> ofDepartment(UUID departmentId) {
        return jdbc.sql(COLUMNS + "WHERE g.department_id = :d").param("d", departmentId).query(DepartmentGroupRow.class)
                .optional();
    }

    /**
     * The groups a member of {@code departmentId} may belong to: that department's own group,
     * and the groups of its ancestors ({@code pathToRoot}) that include sub-departments.
     */
    public List<DepartmentGroupRow> covering(UUID departmentId, Collection<UUID> pathToRoot) {
        return jdbc.sql(COLUMNS + "WHERE g.department_id = ANY(:path) AND (g.department_id = :d OR g.include_sub_departments)")
                .param("d", departmentId).param("path", pathToRoot.toArray(UUID[]::new))
                .query(DepartmentGroupRow.class).list();
    }

    /** Department groups the user is currently in. */
    public List<DepartmentGroupRow> joinedBy(UUID userId) {
        return jdbc.sql(COLUMNS + "JOIN chat.member m ON m.conversation_id = g.conversation_id WHERE m.user_id = :u")
                .param("u", userId).query(DepartmentGroupRow.class).list();
    }

    public List<DepartmentGroupRow> includingSubDepartments() {
        // In conversation order, the lock order every follower uses.
        return jdbc.sql(COLUMNS + "WHERE g.include_sub_departments ORDER BY g.conversation_id")
                .query(DepartmentGroupRow.class).list();
    }
}
