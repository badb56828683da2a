package io.chorus.chat.internal;

import io.chorus.chat.ConversationKind;
import io.chorus.chat.MemberRole;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Conversations in PostgreSQL. The seq counter lives here, on the conversation row. */
@Repository
public class ConversationStore {

    private static final String COLUMNS = """
            c.id, c.kind, c.name, c.direct_key, c.archived, c.created_by, c.created_at, c.last_seq,
            c.last_activity_at, c.member_count""";

    /** One viewer's page of conversations; named so QueryPlanTest can EXPLAIN it. */
    static final String LIST_FOR = "SELECT " + COLUMNS + ", m.role, m.read_seq FROM chat.member m "
            + "JOIN chat.conversation c ON c.id = m.conversation_id "
            + "WHERE m.user_id = :viewer "
            + "AND (CAST(:beforeActivity AS timestamptz) IS NULL "
            + "     OR (c.last_activity_at, c.id) < (CAST(:beforeActivity AS timestamptz), CAST(:beforeId AS uuid))) "
            + "ORDER BY c.last_activity_at DESC, c.id DESC LIMIT :limit";

    private final JdbcClient jdbc;

    ConversationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(UUID id, ConversationKind kind, String name, String directKey, UUID createdBy, Instant now) {
        jdbc.sql("""
                INSERT INTO chat.conversation (id, kind, name, direct_key, created_by, created_at, last_activity_at)
                VALUES (:id, :kind, :name, :directKey, :createdBy, :now, :now)
                """)
                .param("id", id).param("kind", kind.name()).param("name", name).param("directKey", directKey)
                .param("createdBy", createdBy).param("now", Timestamp.from(now))
                .update();
    }

    /** Inserts the direct chat unless the pair already has one; true when this call created it. */
    public boolean insertDirectIfAbsent(UUID id, String directKey, UUID createdBy, Instant now) {
        return jdbc.sql("""
                INSERT INTO chat.conversation (id, kind, direct_key, created_by, created_at, last_activity_at)
                VALUES (:id, 'DIRECT', :directKey, :createdBy, :now, :now)
                ON CONFLICT (direct_key) DO NOTHING
                """)
                .param("id", id).param("directKey", directKey).param("createdBy", createdBy)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    public Optional<ConversationRow> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM chat.conversation c WHERE c.id = :id")
                .param("id", id).query(ConversationStore::row).optional();
    }

    public Optional<ConversationRow> findDirect(String directKey) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM chat.conversation c WHERE c.direct_key = :key")
                .param("key", directKey).query(ConversationStore::row).optional();
    }

    /**
     * The current last seq, read under the same row lock senders take, so a change stamped
     * with it is ordered after every message that any client could already have seen.
     */
    public long lockedLastSeq(UUID id) {
        return jdbc.sql("SELECT last_seq FROM chat.conversation WHERE id = :id FOR UPDATE")
                .param("id", id).query(Long.class).single();
    }

    public void rename(UUID id, String name) {
        jdbc.sql("UPDATE chat.conversation SET name = :name, version = version + 1 WHERE id = :id")
                .param("id", id).param("name", name).update();
    }

    public void archive(UUID id) {
        jdbc.sql("UPDATE chat.conversation SET archived = true, version = version + 1 WHERE id = :id")
                .param("id", id).update();
    }

    public void adjustMemberCount(UUID id, int delta) {
        jdbc.sql("UPDATE chat.conversation SET member_count = member_count + :delta WHERE id = :id")
                .param("id", id).param("delta", delta).update();
    }

    /** One viewer's conversations, most recently active first, with their read state, in one query. */
    public List<ViewerRow> listFor(UUID viewer, Instant beforeActivity, UUID beforeId, int limit) {
        return jdbc.sql(LIST_FOR)
                .param("viewer", viewer)
                .param("beforeActivity", beforeActivity == null ? null : Timestamp.from(beforeActivity))
                .param("beforeId", beforeId)
                .param("limit", limit)
                .query((rs, n) -> new ViewerRow(row(rs, n), MemberRole.valueOf(rs.getString("role")),
                        rs.getLong("read_seq")))
                .list();
    }

    public Optional<ViewerRow> findFor(UUID viewer, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + ", m.role, m.read_seq FROM chat.conversation c "
                        + "JOIN chat.member m ON m.conversation_id = c.id AND m.user_id = :viewer WHERE c.id = :id")
                .param("viewer", viewer).param("id", id)
                .query((rs, n) -> new ViewerRow(row(rs, n), MemberRole.valueOf(rs.getString("role")),
                        rs.getLong("read_seq")))
                .optional();
    }

    /** A conversation with the viewer's membership. */
    public record ViewerRow(ConversationRow conversation, MemberRole role, long readSeq) {
    }

    private static ConversationRow row(ResultSet rs, int rowNum) throws SQLException {
        return new ConversationRow(
                rs.getObject("id", UUID.class),
                ConversationKind.valueOf(rs.getString("kind")),
                rs.getString("name"),
                rs.getString("direct_key"),
                rs.getBoolean("archived"),
                rs.getObject("created_by", UUID.class),
                rs.getTimestamp("created_at").toInstant(),
                rs.getLong("last_seq"),
                rs.getTimestamp("last_activity_at").toInstant(),
                rs.getInt("member_count"));
    }
}
