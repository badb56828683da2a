package io.chorus.audit.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which departments a compliance officer is limited to; none means unscoped. */
@Repository
public class OfficerScopeStore {

    private final JdbcClient jdbc;

    OfficerScopeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<UUID> departmentsOf(UUID officer) {
        return jdbc.sql("SELECT department_id FROM audit.officer_scope WHERE officer_id = :o ORDER BY department_id")
                .param("o", officer).query(UUID.class).list();
    }

    /** Replaces the officer's scope; serialised per officer so two changes never merge. */
    public void replace(UUID officer, Collection<UUID> departments, UUID by, Instant now) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('audit.officer_scope:' || :o, 0))")
                .param("o", officer.toString()).query().singleRow();
        jdbc.sql("DELETE FROM audit.officer_scope WHERE officer_id = :o").param("o", officer).update();
        for (UUID department : departments) {
            jdbc.sql("""
                    INSERT INTO audit.officer_scope (officer_id, department_id, set_by, set_at)
                    VALUES (:o, :d, :by, :at)
                    """)
                    .param("o", officer).param("d", department).param("by", by).param("at", Timestamp.from(now))
                    .update();
        }
    }
}
