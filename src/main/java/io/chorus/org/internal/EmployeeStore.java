package io.chorus.org.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Directory entries: the org module's copy of each user's profile, their explicit manager and search keys. */
@Repository
public class EmployeeStore {

    /** Named so {@code QueryPlanTest} can EXPLAIN exactly what runs. */
    public static final String SEARCH_SQL = """
            WITH hits AS (
                SELECT user_id, CASE WHEN (' ' || search_keys || ' ') LIKE :exact THEN 0
                                     WHEN (' ' || search_keys) LIKE :prefix THEN 1
                                     ELSE 2 END AS rank
                FROM org.employee WHERE search_keys LIKE :contains
                UNION ALL
                SELECT user_id, 3 FROM org.membership WHERE lower(title) LIKE :contains
                UNION ALL
                SELECT m.user_id, 3 FROM org.membership m JOIN org.department d ON d.id = m.department_id
                WHERE lower(d.name) LIKE :contains),
            best AS (SELECT user_id, min(rank) AS rank FROM hits GROUP BY user_id)
            SELECT e.user_id, e.username, e.display_name, e.email, e.active, e.manager_id, best.rank
            FROM best JOIN org.employee e ON e.user_id = best.user_id
            WHERE e.active AND (best.rank, e.username, e.user_id) > (:afterRank, :afterUsername, :afterId)
            ORDER BY best.rank, e.username, e.user_id
            LIMIT :limit
            """;

    /** The manager of one user: their explicit manager if active, else the nearest active head above them. */
    public static final String MANAGER_SQL = """
            WITH RECURSIVE up AS (
                SELECT d.id, d.parent_id, 0 AS depth
                FROM org.membership m JOIN org.department d ON d.id = m.department_id
                WHERE m.user_id = :user AND m.is_primary
                UNION ALL
                SELECT p.id, p.parent_id, up.depth + 1 FROM up JOIN org.department p ON p.id = up.parent_id)
            SELECT COALESCE(
                (SELECT e.manager_id FROM org.employee e JOIN org.employee boss ON boss.user_id = e.manager_id
                 WHERE e.user_id = :user AND boss.active),
                (SELECT h.user_id FROM up
                 -- Per department on the way up: its heads by key, each checked by key.
                 CROSS JOIN LATERAL (
                     SELECT dh.user_id, dh.appointed_at FROM org.department_head dh
                     WHERE dh.department_id = up.id AND dh.user_id <> :user
                       AND EXISTS (SELECT 1 FROM org.employee head WHERE head.user_id = dh.user_id AND head.active)) h
                 ORDER BY up.depth, h.appointed_at, h.user_id
                 LIMIT 1))
            """;

    /** Active members of a set of departments, each user once (their primary membership preferred). */
    public static final String MEMBERS_SQL = """
            SELECT * FROM (
                SELECT DISTINCT ON (m.user_id) m.user_id, e.username, e.display_name, m.department_id, m.title,
                       m.is_primary
                FROM org.membership m JOIN org.employee e ON e.user_id = m.user_id
                WHERE m.department_id = ANY(:departments) AND e.active
                ORDER BY m.user_id, m.is_primary DESC, m.joined_at) members
            WHERE (username, user_id) > (:afterUsername, :afterId)
            ORDER BY username, user_id
            LIMIT :limit
            """;

    private final JdbcClient jdbc;

    EmployeeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record EmployeeRow(UUID userId, String username, String displayName, String email, boolean active,
            UUID managerId) {
    }

    public record SearchHit(EmployeeRow employee, int rank) {
    }

    public record MemberRow(UUID userId, String username, String displayName, UUID departmentId, String title,
            boolean primary) {
    }

    /**
     * Writes the profile unless a newer one is already stored: events can arrive out of order,
     * and replaying an old one must not undo a later change.
     */
    public void upsertProfile(UUID userId, String username, String displayName, String email, boolean active,
            long version, String searchKeys, Instant now) {
        jdbc.sql("""
                INSERT INTO org.employee (user_id, username, display_name, email, active, search_keys, version, updated_at)
                VALUES (:id, :username, :displayName, :email, :active, :keys, :version, :now)
                ON CONFLICT (user_id) DO UPDATE
                    SET username = excluded.username, display_name = excluded.display_name, email = excluded.email,
                        active = excluded.active, search_keys = excluded.search_keys, version = excluded.version,
                        updated_at = excluded.updated_at
                    WHERE org.employee.version < excluded.version
                """)
                .param("id", userId).param("username", username).param("displayName", displayName)
                .param("email", email).param("active", active).param("keys", searchKeys).param("version", version)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** An entry at version 0, so the account's own event (version 1 and up) replaces it. */
    public void insertIfAbsent(UUID userId, String username, String displayName, String email, boolean active,
            String searchKeys, Instant now) {
        jdbc.sql("""
                INSERT INTO org.employee (user_id, username, display_name, email, active, search_keys, version, updated_at)
                VALUES (:id, :username, :displayName, :email, :active, :keys, 0, :now)
                ON CONFLICT (user_id) DO NOTHING
                """)
                .param("id", userId).param("username", username).param("displayName", displayName)
                .param("email", email).param("active", active).param("keys", searchKeys)
                .param("now", Timestamp.from(now))
                .update();
    }

    public Optional<EmployeeRow> find(UUID userId) {
        return jdbc.sql("SELECT user_id, username, display_name, email, active, manager_id FROM org.employee WHERE user_id = :id")
                .param("id", userId).query(EmployeeStore::row).optional();
    }

    public List<EmployeeRow> findAll(Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT user_id, username, display_name, email, active, manager_id FROM org.employee
                WHERE user_id = ANY(:ids)
                """).param("ids", userIds.toArray(UUID[]::new)).query(EmployeeStore::row).list();
    }

    /**
     * Serialises changes of explicit managers: a loop check walks other people's rows, so two
     * changes that are each fine alone (A under B, B under A) could otherwise both pass it.
     */
    public void lockManagers() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('org.explicit-managers', 0))").query().singleValue();
    }

    public void setManager(UUID userId, UUID managerId) {
        jdbc.sql("UPDATE org.employee SET manager_id = :manager WHERE user_id = :id")
                .param("id", userId).param("manager", managerId).update();
    }

    public Optional<UUID> managerOf(UUID userId) {
        return jdbc.sql(MANAGER_SQL).param("user", userId).query(UUID.class).optional();
    }

    /** {@code normalisedQuery} is lower case, NFKC-normalised, with LIKE wildcards escaped. */
    public List<SearchHit> search(String normalisedQuery, int afterRank, String afterUsername, UUID afterId, int limit) {
        return jdbc.sql(SEARCH_SQL)
                .param("exact", "% " + normalisedQuery + " %")
                .param("prefix", "% " + normalisedQuery + "%")
                .param("contains", "%" + normalisedQuery + "%")
                .param("afterRank", afterRank).param("afterUsername", afterUsername).param("afterId", afterId)
                .param("limit", limit)
                .query((rs, n) -> new SearchHit(row(rs, n), rs.getInt("rank")))
                .list();
    }

    public List<MemberRow> members(Collection<UUID> departmentIds, String afterUsername, UUID afterId, int limit) {
        return jdbc.sql(MEMBERS_SQL)
                .param("departments", departmentIds.toArray(UUID[]::new))
                .param("afterUsername", afterUsername).param("afterId", afterId).param("limit", limit)
                .query((rs, n) -> new MemberRow(rs.getObject("user_id", UUID.class), rs.getString("username"),
                        rs.getString("display_name"), rs.getObject("department_id", UUID.class), rs.getString("title"),
                        rs.getBoolean("is_primary")))
                .list();
    }

    private static EmployeeRow row(ResultSet rs, int n) throws SQLException {
        return new EmployeeRow(rs.getObject("user_id", UUID.class), rs.getString("username"),
                rs.getString("display_name"), rs.getString("email"), rs.getBoolean("active"),
                rs.getObject("manager_id", UUID.class));
    }
}
