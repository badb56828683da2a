package io.chorus.approval.internal;

import io.chorus.approval.ApprovalRoleView;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Approval roles and their holders. */
@Component
public class RoleStore {

    private final JdbcClient jdbc;

    RoleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(UUID id) {
        return jdbc.sql("SELECT count(*) FROM approval.role WHERE id = :id").param("id", id).query(Long.class)
                .single() > 0;
    }

    /** False when the name is taken. */
    public boolean create(UUID id, String name, Instant now) {
        return jdbc.sql("INSERT INTO approval.role (id, name, created_at, version) VALUES (:id, :name, :now, 0)"
                        + " ON CONFLICT (name) DO NOTHING")
                .param("id", id).param("name", name).param("now", Timestamp.from(now)).update() == 1;
    }

    /** Renames; false when the role is gone. Locks the role row, so concurrent edits apply one after the other. */
    public boolean rename(UUID id, String name) {
        return jdbc.sql("UPDATE approval.role SET name = :name, version = version + 1 WHERE id = :id")
                .param("id", id).param("name", name).update() == 1;
    }

    public boolean nameTakenByOther(UUID id, String name) {
        return jdbc.sql("SELECT count(*) FROM approval.role WHERE name = :name AND id <> :id")
                .param("name", name).param("id", id).query(Long.class).single() > 0;
    }

    public void replaceHolders(UUID id, Collection<UUID> holders) {
        jdbc.sql("DELETE FROM approval.role_holder WHERE role_id = :id").param("id", id).update();
        if (!holders.isEmpty()) {
            jdbc.sql("INSERT INTO approval.role_holder (role_id, user_id) SELECT :id, unnest(:holders::uuid[])")
                    .param("id", id).param("holders", holders.toArray(UUID[]::new)).update();
        }
    }

    public boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM approval.role WHERE id = :id").param("id", id).update() == 1;
    }

    public Optional<ApprovalRoleView> find(UUID id) {
        return jdbc.sql("SELECT name FROM approval.role WHERE id = :id").param("id", id).query(String.class)
                .optional().map(name -> new ApprovalRoleView(id, name, holders(id)));
    }

    public List<ApprovalRoleView> all() {
        record Row(UUID id, String name) {
        }
        List<Row> rows = jdbc.sql("SELECT id, name FROM approval.role ORDER BY name").query(Row.class).list();
        Map<UUID, List<UUID>> holders = jdbc.sql("SELECT role_id, user_id FROM approval.role_holder ORDER BY user_id")
                .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))).list()
                .stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return rows.stream().map(row -> new ApprovalRoleView(row.id(), row.name(),
                holders.getOrDefault(row.id(), List.of()))).toList();
    }

    public List<UUID> holders(UUID id) {
        return jdbc.sql("SELECT user_id FROM approval.role_holder WHERE role_id = :id ORDER BY user_id")
                .param("id", id).query(UUID.class).list();
    }
}
