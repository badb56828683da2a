package io.chorus.org.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Who belongs to which department, with a title, and which membership is the primary one. */
@Repository
public class MembershipStore {

    private final JdbcClient jdbc;

    MembershipStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record MembershipRow(UUID departmentId, UUID userId, String title, boolean primary, String departmentName) {
    }

    /** Serialises membership changes of one user, so the "one primary" rule is decided on committed state. */
    public void lockUser(UUID userId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "org.member:" + userId).query().singleValue();
    }

    /** A user's memberships, primary first, then in the order they joined. */
    public List<MembershipRow> ofUser(UUID userId) {
        return jdbc.sql("""
                SELECT m.department_id, m.user_id, m.title, m.is_primary, d.name
                FROM org.membership m JOIN org.department d ON d.id = m.department_id
                WHERE m.user_id = :user
                ORDER BY m.is_primary DESC, m.joined_at, d.name
                """).param("user", userId).query(MembershipStore::row).list();
    }

    /** Memberships of many users at once, for listing employees without one query each. */
    public Map<UUID, List<MembershipRow>> ofUsers(Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("""
                SELECT m.department_id, m.user_id, m.title, m.is_primary, d.name
                FROM org.membership m JOIN org.department d ON d.id = m.department_id
                WHERE m.user_id = ANY(:users)
                ORDER BY m.is_primary DESC, m.joined_at, d.name
                """).param("users", userIds.toArray(UUID[]::new)).query(MembershipStore::row).list()
                .stream().collect(Collectors.groupingBy(MembershipRow::userId));
    }

    public Optional<MembershipRow> find(UUID departmentId, UUID userId) {
        return ofUser(userId).stream().filter(row -> row.departmentId().equals(departmentId)).findFirst();
    }

    public void insert(UUID departmentId, UUID userId, String title, boolean primary, Instant now) {
        jdbc.sql("""
                INSERT INTO org.membership (department_id, user_id, title, is_primary, joined_at)
                VALUES (:d, :u, :title, :primary, :now)
                """).param("d", departmentId).param("u", userId).param("title", title).param("primary", primary)
                .param("now", Timestamp.from(now)).update();
    }

    public void update(UUID departmentId, UUID userId, String title, boolean primary) {
        jdbc.sql("UPDATE org.membership SET title = :title, is_primary = :primary WHERE department_id = :d AND user_id = :u")
                .param("d", departmentId).param("u", userId).param("title", title).param("primary", primary).update();
    }

    public void delete(UUID departmentId, UUID userId) {
        jdbc.sql("DELETE FROM org.membership WHERE department_id = :d AND user_id = :u")
                .param("d", departmentId).param("u", userId).update();
    }

    /** Members of any of these departments, each once. */
    public List<UUID> userIdsIn(Collection<UUID> departmentIds) {
        return jdbc.sql("SELECT DISTINCT user_id FROM org.membership WHERE department_id = ANY(:ds)")
                .param("ds", departmentIds.toArray(UUID[]::new)).query(UUID.class).list();
    }

    public int countIn(UUID departmentId) {
        return jdbc.sql("SELECT count(*) FROM org.membership WHERE department_id = :d")
                .param("d", departmentId).query(Integer.class).single();
    }

    /** Active members per department, for the tree's counts. */
    public Map<UUID, Integer> activeCounts() {
        return jdbc.sql("""
                SELECT m.department_id, count(*) AS members
                FROM org.membership m JOIN org.employee e ON e.user_id = m.user_id
                WHERE e.active
                GROUP BY m.department_id
                """).query((rs, n) -> Map.entry(rs.getObject("department_id", UUID.class), rs.getInt("members")))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Whether the user belongs to any of these departments (a department and its subtree, say). */
    public boolean isMemberOfAny(UUID userId, Collection<UUID> departmentIds) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM org.membership WHERE user_id = :u AND department_id = ANY(:ds))")
                .param("u", userId).param("ds", departmentIds.toArray(UUID[]::new)).query(Boolean.class).single();
    }

    private static MembershipRow row(ResultSet rs, int n) throws SQLException {
        return new MembershipRow(rs.getObject("department_id", UUID.class), rs.getObject("user_id", UUID.class),
                rs.getString("title"), rs.getBoolean("is_primary"), rs.getString("name"));
    }
}
