package io.chorus.org.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The department tree and its heads. The tree is small (thousands of rows), so walks are recursive CTEs. */
@Repository
public class DepartmentStore {

    private final JdbcClient jdbc;

    DepartmentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record DepartmentRow(UUID id, String name, UUID parentId, int sortOrder, String externalId) {
    }

    /**
     * Serialises changes to the tree's shape: two concurrent moves could otherwise each pass
     * the cycle check and together make a loop.
     */
    public void lockTree() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('org.department-tree', 0))").query().singleValue();
    }

    public void insert(UUID id, String name, UUID parentId, int sortOrder, String externalId, Instant now) {
        jdbc.sql("""
                INSERT INTO org.department (id, name, parent_id, sort_order, external_id, created_at)
                VALUES (:id, :name, :parentId, :sortOrder, :externalId, :now)
                """)
                .param("id", id).param("name", name).param("parentId", parentId).param("sortOrder", sortOrder)
                .param("externalId", externalId).param("now", Timestamp.from(now))
                .update();
    }

    public Optional<DepartmentRow> find(UUID id) {
        return jdbc.sql("SELECT id, name, parent_id, sort_order, external_id FROM org.department WHERE id = :id")
                .param("id", id).query(DepartmentStore::row).optional();
    }

    /** Every department, parents before children is not promised: callers build the tree by parent id. */
    public List<DepartmentRow> all() {
        return jdbc.sql("SELECT id, name, parent_id, sort_order, external_id FROM org.department ORDER BY sort_order, name, id")
                .query(DepartmentStore::row).list();
    }

    /**
     * The department, locked until the transaction ends: changes to its heads are decided on
     * committed state, so two concurrent ones cannot both apply their difference to the same
     * old set and leave a mixture of the two.
     */
    public Optional<DepartmentRow> findForUpdate(UUID id) {
        return jdbc.sql("SELECT id, name, parent_id, sort_order, external_id FROM org.department WHERE id = :id"
                        + " FOR NO KEY UPDATE")
                .param("id", id).query(DepartmentStore::row).optional();
    }

    /** Writes the name alone: a concurrent move's parent, read before it committed, must not be written back. */
    public void rename(UUID id, String name) {
        jdbc.sql("UPDATE org.department SET name = :name WHERE id = :id")
                .param("id", id).param("name", name).update();
    }

    /** Writes the place alone, for the same reason; callers hold {@link #lockTree()}. */
    public void move(UUID id, UUID parentId, int sortOrder) {
        jdbc.sql("UPDATE org.department SET parent_id = :parentId, sort_order = :sortOrder WHERE id = :id")
                .param("id", id).param("parentId", parentId).param("sortOrder", sortOrder).update();
    }

    public void delete(UUID id) {
        jdbc.sql("DELETE FROM org.department_head WHERE department_id = :id").param("id", id).update();
        jdbc.sql("DELETE FROM org.department WHERE id = :id").param("id", id).update();
    }

    public boolean hasChildren(UUID id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM org.department WHERE parent_id = :id)")
                .param("id", id).query(Boolean.class).single();
    }

    /** The department and everything below it. */
    public List<UUID> subtree(UUID id) {
        return jdbc.sql("""
                WITH RECURSIVE down AS (
                    SELECT id FROM org.department WHERE id = :id
                    UNION ALL
                    SELECT d.id FROM org.department d JOIN down ON d.parent_id = down.id)
                SELECT id FROM down
                """).param("id", id).query(UUID.class).list();
    }

    /** The department and its ancestors, nearest first, up to the root. */
    public List<UUID> pathToRoot(UUID id) {
        return jdbc.sql("""
                WITH RECURSIVE up AS (
                    SELECT id, parent_id, 0 AS depth FROM org.department WHERE id = :id
                    UNION ALL
                    SELECT d.id, d.parent_id, up.depth + 1 FROM org.department d JOIN up ON d.id = up.parent_id)
                SELECT id FROM up ORDER BY depth
                """).param("id", id).query(UUID.class).list();
    }

    /** Heads of one department, longest-serving first. */
    public List<UUID> heads(UUID departmentId) {
        return jdbc.sql("SELECT user_id FROM org.department_head WHERE department_id = :id ORDER BY appointed_at, user_id")
                .param("id", departmentId).query(UUID.class).list();
    }

    /** Heads of every department, each list longest-serving first. */
    public Map<UUID, List<UUID>> allHeads() {
        Map<UUID, List<UUID>> heads = new LinkedHashMap<>();
        jdbc.sql("SELECT department_id, user_id FROM org.department_head ORDER BY appointed_at, user_id")
                .query((RowCallbackHandler) rs -> {
                    heads.computeIfAbsent(rs.getObject("department_id", UUID.class), key -> new ArrayList<>())
                            .add(rs.getObject("user_id", UUID.class));
                });
        return heads;
    }

    public void addHead(UUID departmentId, UUID userId, Instant now) {
        jdbc.sql("""
                INSERT INTO org.department_head (department_id, user_id, appointed_at) VALUES (:d, :u, :now)
                ON CONFLICT DO NOTHING
                """).param("d", departmentId).param("u", userId).param("now", Timestamp.from(now)).update();
    }

    public void removeHead(UUID departmentId, UUID userId) {
        jdbc.sql("DELETE FROM org.department_head WHERE department_id = :d AND user_id = :u")
                .param("d", departmentId).param("u", userId).update();
    }

    private static DepartmentRow row(ResultSet rs, int n) throws SQLException {
        return new DepartmentRow(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getObject("parent_id", UUID.class), rs.getInt("sort_order"), rs.getString("external_id"));
    }
}
