package io.chorus.chat.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Retention policies and legal holds in PostgreSQL. The global policy is the row whose
 * conversation is NULL; overrides carry their conversation.
 */
@Repository
public class RetentionStore {

    private static final String POLICY_COLUMNS = "conversation_id, retention_days, updated_by, updated_at";
    private static final String HOLD_COLUMNS = """
            id, subject_type, subject_id, held_from, held_to, reason, placed_by, placed_at, released_by, released_at""";

    private final JdbcClient jdbc;

    RetentionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored policy; {@code retentionDays} null keeps forever (global row only). */
    public record PolicyRow(UUID conversationId, Integer retentionDays, UUID updatedBy, Instant updatedAt) {
    }

    public record HoldRow(UUID id, String subjectType, UUID subjectId, Instant from, Instant to, String reason,
            UUID placedBy, Instant placedAt, UUID releasedBy, Instant releasedAt) {
    }

    /**
     * Serialises policy changes until the transaction ends, so the old period each change
     * reports is the one it really replaced. Readers (the purge) are not held up.
     */
    public void lockPolicies() {
        jdbc.sql("LOCK TABLE chat.retention_policy IN SHARE ROW EXCLUSIVE MODE").update();
    }

    public Optional<PolicyRow> global() {
        return jdbc.sql("SELECT " + POLICY_COLUMNS + " FROM chat.retention_policy WHERE conversation_id IS NULL")
                .query(RetentionStore::policy).optional();
    }

    public Optional<PolicyRow> override(UUID conversationId) {
        return jdbc.sql("SELECT " + POLICY_COLUMNS + " FROM chat.retention_policy WHERE conversation_id = :c")
                .param("c", conversationId).query(RetentionStore::policy).optional();
    }

    public List<PolicyRow> overrides() {
        return jdbc.sql("SELECT " + POLICY_COLUMNS + " FROM chat.retention_policy "
                        + "WHERE conversation_id IS NOT NULL ORDER BY conversation_id")
                .query(RetentionStore::policy).list();
    }

    /** Writes the global policy ({@code conversationId} null) or a conversation's override. */
    public void save(UUID conversationId, Integer retentionDays, UUID by, Instant now) {
        jdbc.sql("""
                INSERT INTO chat.retention_policy (conversation_id, retention_days, updated_by, updated_at)
                VALUES (CAST(:c AS uuid), :days, :by, :now)
                ON CONFLICT ON CONSTRAINT retention_policy_scope_unique
                DO UPDATE SET retention_days = EXCLUDED.retention_days, updated_by = EXCLUDED.updated_by,
                              updated_at = EXCLUDED.updated_at
                """)
                .param("c", conversationId).param("days", retentionDays).param("by", by)
                .param("now", Timestamp.from(now))
                .update();
    }

    public boolean deleteOverride(UUID conversationId) {
        return jdbc.sql("DELETE FROM chat.retention_policy WHERE conversation_id = :c")
                .param("c", conversationId).update() == 1;
    }

    public void insertHold(HoldRow hold) {
        jdbc.sql("""
                INSERT INTO chat.legal_hold (id, subject_type, subject_id, held_from, held_to, reason, placed_by,
                                             placed_at)
                VALUES (:id, :type, :subject, CAST(:from AS timestamptz), CAST(:to AS timestamptz), :reason, :by, :at)
                """)
                .param("id", hold.id()).param("type", hold.subjectType()).param("subject", hold.subjectId())
                .param("from", timestamp(hold.from())).param("to", timestamp(hold.to()))
                .param("reason", hold.reason()).param("by", hold.placedBy()).param("at", Timestamp.from(hold.placedAt()))
                .update();
    }

    /** Releases the hold if it is still active; empty when it is unknown or already released. */
    public Optional<HoldRow> release(UUID holdId, UUID by, Instant now) {
        return jdbc.sql("UPDATE chat.legal_hold SET released_by = :by, released_at = :now "
                        + "WHERE id = :id AND released_at IS NULL RETURNING " + HOLD_COLUMNS)
                .param("id", holdId).param("by", by).param("now", Timestamp.from(now))
                .query(RetentionStore::hold).optional();
    }

    public Optional<HoldRow> hold(UUID holdId) {
        return jdbc.sql("SELECT " + HOLD_COLUMNS + " FROM chat.legal_hold WHERE id = :id")
                .param("id", holdId).query(RetentionStore::hold).optional();
    }

    /** Every hold, active ones first, newest first within each. */
    public List<HoldRow> holds() {
        return jdbc.sql("SELECT " + HOLD_COLUMNS + " FROM chat.legal_hold "
                        + "ORDER BY released_at IS NOT NULL, placed_at DESC, id")
                .query(RetentionStore::hold).list();
    }

    private static PolicyRow policy(ResultSet rs, int rowNum) throws SQLException {
        Integer days = rs.getObject("retention_days", Integer.class);
        return new PolicyRow(rs.getObject("conversation_id", UUID.class), days,
                rs.getObject("updated_by", UUID.class), rs.getTimestamp("updated_at").toInstant());
    }

    private static HoldRow hold(ResultSet rs, int rowNum) throws SQLException {
        return new HoldRow(rs.getObject("id", UUID.class), rs.getString("subject_type"),
                rs.getObject("subject_id", UUID.class), instant(rs.getTimestamp("held_from")),
                instant(rs.getTimestamp("held_to")), rs.getString("reason"), rs.getObject("placed_by", UUID.class),
                rs.getTimestamp("placed_at").toInstant(), rs.getObject("released_by", UUID.class),
                instant(rs.getTimestamp("released_at")));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
