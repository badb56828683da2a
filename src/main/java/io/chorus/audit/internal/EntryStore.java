package io.chorus.audit.internal;

import io.chorus.audit.ActorType;
import io.chorus.audit.AuditEntry;
import io.chorus.audit.AuditFilter;
import io.chorus.audit.ComplianceScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads the chain. Streams use a server-side cursor (a fetch size inside a transaction), so an
 * export or a verification of millions of entries holds one fetch in memory, not the result.
 */
@Repository
public class EntryStore {

    static final int FETCH_SIZE = 1000;

    static final String COLUMNS = "seq, event_key, occurred_at, recorded_at, actor_type, actor_id, action, "
            + "target_type, target_id, conversation_id, department_id, source_ip, session_id, detail, prev_hash, hash";

    private final NamedParameterJdbcTemplate jdbc;

    EntryStore(DataSource dataSource) {
        JdbcTemplate streaming = new JdbcTemplate(dataSource);
        streaming.setFetchSize(FETCH_SIZE);
        this.jdbc = new NamedParameterJdbcTemplate(streaming);
    }

    /** A stored row with everything its hash covers. */
    record Row(AuditEntry entry, byte[] prevHash, byte[] hash) {
    }

    /** The filter and scope as SQL; both engines of the trail (page, export) use the same. */
    public record Where(String sql, MapSqlParameterSource params) {

        public static Where of(AuditFilter filter, ComplianceScope scope) {
            StringBuilder sql = new StringBuilder(" WHERE true");
            MapSqlParameterSource params = new MapSqlParameterSource();
            if (filter.actorId() != null) {
                sql.append(" AND actor_id = :actor");
                params.addValue("actor", filter.actorId());
            }
            if (filter.action() != null) {
                sql.append(" AND action = :action");
                params.addValue("action", filter.action());
            }
            if (filter.targetType() != null) {
                sql.append(" AND target_type = :targetType");
                params.addValue("targetType", filter.targetType());
            }
            if (filter.targetId() != null) {
                sql.append(" AND target_id = :targetId");
                params.addValue("targetId", filter.targetId());
            }
            if (filter.conversationId() != null) {
                sql.append(" AND conversation_id = :conversation");
                params.addValue("conversation", filter.conversationId());
            }
            if (filter.departmentId() != null) {
                sql.append(" AND department_id = :department");
                params.addValue("department", filter.departmentId());
            }
            if (filter.from() != null) {
                sql.append(" AND occurred_at >= :from");
                params.addValue("from", Timestamp.from(filter.from()));
            }
            if (filter.to() != null) {
                sql.append(" AND occurred_at < :to");
                params.addValue("to", Timestamp.from(filter.to()));
            }
            if (!scope.unscoped()) {
                // Involves a member of the officer's departments: as actor, as the user acted
                // upon, or the entry is about one of those departments.
                sql.append(" AND (actor_id = ANY(:scopeUsers)"
                        + " OR (target_type = 'USER' AND target_id = ANY(:scopeUserTexts))"
                        + " OR department_id = ANY(:scopeDepartments))");
                params.addValue("scopeUsers", scope.userIds().toArray(UUID[]::new));
                params.addValue("scopeUserTexts", scope.userIds().stream().map(UUID::toString).toArray(String[]::new));
                params.addValue("scopeDepartments", scope.departmentIds().toArray(UUID[]::new));
            }
            return new Where(sql.toString(), params);
        }
    }

    /** Up to {@code limit} entries after {@code afterSeq}, in chain order. */
    public List<AuditEntry> page(Where where, long afterSeq, int limit) {
        MapSqlParameterSource params = copy(where.params()).addValue("after", afterSeq).addValue("n", limit);
        return jdbc.query(pageSql(where), params, (rs, n) -> row(rs).entry());
    }

    /** The page query, named so AuditQueryPlanTest can EXPLAIN exactly what runs. */
    static String pageSql(Where where) {
        return "SELECT " + COLUMNS + " FROM audit.entry" + where.sql() + " AND seq > :after ORDER BY seq LIMIT :n";
    }

    /** Every matching entry in chain order, one at a time; call inside a transaction. */
    public void stream(Where where, Consumer<AuditEntry> sink) {
        jdbc.query("SELECT " + COLUMNS + " FROM audit.entry" + where.sql() + " ORDER BY seq", where.params(),
                rs -> {
                    sink.accept(row(rs).entry());
                });
    }

    /** Raw rows from {@code fromSeq} to {@code toSeq}, for verification; call inside a transaction. */
    void walk(long fromSeq, long toSeq, Consumer<Row> sink) {
        jdbc.query("SELECT " + COLUMNS + " FROM audit.entry WHERE seq BETWEEN :from AND :to ORDER BY seq",
                new MapSqlParameterSource("from", fromSeq).addValue("to", toSeq), rs -> {
                    sink.accept(row(rs));
                });
    }

    java.util.Optional<byte[]> hashAt(long seq) {
        return jdbc.query("SELECT hash FROM audit.entry WHERE seq = :seq", new MapSqlParameterSource("seq", seq),
                (rs, n) -> rs.getBytes(1)).stream().findFirst();
    }

    /** The newest entry as the chain head records it: seq and hash. */
    record Head(long seq, byte[] hash) {
    }

    Head head() {
        return jdbc.queryForObject("SELECT last_seq, last_hash FROM audit.chain_head", new MapSqlParameterSource(),
                (rs, n) -> new Head(rs.getLong(1), rs.getBytes(2)));
    }

    /** Where the kept chain starts: the last entry retention removed, or seq 0 and the genesis hash. */
    Head anchor() {
        return jdbc.query("SELECT seq, hash FROM audit.chain_anchor ORDER BY seq DESC LIMIT 1",
                (rs, n) -> new Head(rs.getLong(1), rs.getBytes(2))).stream().findFirst()
                .orElse(new Head(0, EntryHash.GENESIS));
    }

    private static MapSqlParameterSource copy(MapSqlParameterSource params) {
        MapSqlParameterSource copy = new MapSqlParameterSource();
        for (String name : params.getParameterNames()) {
            copy.addValue(name, params.getValue(name));
        }
        return copy;
    }

    private static Row row(ResultSet rs) throws SQLException {
        byte[] prev = rs.getBytes("prev_hash");
        byte[] hash = rs.getBytes("hash");
        AuditEntry entry = new AuditEntry(rs.getLong("seq"), rs.getString("event_key"), rs.getTimestamp("occurred_at").toInstant(),
                rs.getTimestamp("recorded_at").toInstant(), ActorType.valueOf(rs.getString("actor_type")),
                rs.getObject("actor_id", UUID.class), rs.getString("action"), rs.getString("target_type"),
                rs.getString("target_id"), rs.getObject("conversation_id", UUID.class),
                rs.getObject("department_id", UUID.class), rs.getString("source_ip"), rs.getString("session_id"),
                rs.getString("detail"), EntryHash.hex(prev), EntryHash.hex(hash));
        return new Row(entry, prev, hash);
    }
}
