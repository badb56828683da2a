package io.chorus.integration.internal;

import io.chorus.integration.IncomingWebhooks.Hook;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Incoming webhooks and the webhook-ids of signed deliveries already accepted. */
@Repository
class IncomingWebhookStore {

    private static final String COLUMNS = "id, conversation_id, bot_id, name, avatar_url, created_by, created_at,"
            + " rotated_at, previous_valid_until";

    /** What authenticates a delivery: the hook's secrets, and the previous ones while they are valid. */
    record Credentials(Hook hook, byte[] pathSecretHash, String signingSecret, byte[] previousPathSecretHash,
            String previousSigningSecret) {
    }

    private static final RowMapper<Hook> HOOK = (rs, row) -> new Hook(rs.getObject("id", UUID.class),
            rs.getObject("conversation_id", UUID.class), rs.getObject("bot_id", UUID.class), rs.getString("name"),
            rs.getString("avatar_url"), rs.getObject("created_by", UUID.class), instant(rs.getTimestamp("created_at")),
            instant(rs.getTimestamp("rotated_at")), instant(rs.getTimestamp("previous_valid_until")));

    /** The cleanup of webhook-ids past the replay window. */
    static final String FORGET_SIGHTINGS = "DELETE FROM integration.incoming_webhook_seen WHERE seen_at < :cutoff";

    private final JdbcClient jdbc;

    IncomingWebhookStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Hook hook, byte[] pathSecretHash, String signingSecret) {
        jdbc.sql("""
                INSERT INTO integration.incoming_webhook
                    (id, conversation_id, bot_id, name, avatar_url, path_secret_hash, signing_secret, created_by, created_at)
                VALUES (:id, :conversation, :bot, :name, :avatar, :hash, :secret, :by, :at)
                """)
                .param("id", hook.id()).param("conversation", hook.conversationId()).param("bot", hook.botId())
                .param("name", hook.name()).param("avatar", hook.avatarUrl()).param("hash", pathSecretHash)
                .param("secret", signingSecret).param("by", hook.createdBy())
                .param("at", Timestamp.from(hook.createdAt()))
                .update();
    }

    List<Hook> live(UUID conversation) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.incoming_webhook"
                        + " WHERE conversation_id = :conversation AND deleted_at IS NULL ORDER BY created_at, id")
                .param("conversation", conversation).query(HOOK).list();
    }

    /** A live hook of this conversation, locked: rotations and deletion of one hook queue. */
    Optional<Hook> liveForUpdate(UUID conversation, UUID hook) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.incoming_webhook"
                        + " WHERE id = :id AND conversation_id = :conversation AND deleted_at IS NULL FOR UPDATE")
                .param("id", hook).param("conversation", conversation).query(HOOK).optional();
    }

    /** A live hook's secrets as of {@code now}: the previous ones only inside their overlap. */
    Optional<Credentials> credentials(UUID hook, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + """
                        , path_secret_hash, signing_secret,
                          CASE WHEN previous_valid_until > :now THEN previous_path_secret_hash END AS previous_hash,
                          CASE WHEN previous_valid_until > :now THEN previous_signing_secret END AS previous_secret
                        FROM integration.incoming_webhook WHERE id = :id AND deleted_at IS NULL
                        """)
                .param("id", hook).param("now", Timestamp.from(now))
                .query((rs, row) -> new Credentials(HOOK.mapRow(rs, row), rs.getBytes("path_secret_hash"),
                        rs.getString("signing_secret"), rs.getBytes("previous_hash"), rs.getString("previous_secret")))
                .optional();
    }

    /** The current secrets become the previous ones until {@code previousValidUntil}; older ones stop at once. */
    void rotate(UUID hook, byte[] pathSecretHash, String signingSecret, Instant at, Instant previousValidUntil) {
        jdbc.sql("""
                UPDATE integration.incoming_webhook
                SET previous_path_secret_hash = path_secret_hash, previous_signing_secret = signing_secret,
                    previous_valid_until = :until, path_secret_hash = :hash, signing_secret = :secret, rotated_at = :at
                WHERE id = :id
                """)
                .param("id", hook).param("hash", pathSecretHash).param("secret", signingSecret)
                .param("at", Timestamp.from(at)).param("until", Timestamp.from(previousValidUntil))
                .update();
    }

    /** Marks the hook deleted and forgets its secrets: a deleted hook never authenticates anything again. */
    void delete(UUID hook, UUID by, Instant at) {
        jdbc.sql("""
                UPDATE integration.incoming_webhook
                SET deleted_at = :at, deleted_by = :by, signing_secret = NULL, path_secret_hash = NULL,
                    previous_path_secret_hash = NULL, previous_signing_secret = NULL, previous_valid_until = NULL
                WHERE id = :id
                """)
                .param("id", hook).param("by", by).param("at", Timestamp.from(at)).update();
    }

    /**
     * Records a signed delivery's webhook-id; false when the hook accepted it before (a replay).
     * The row is committed at once (no surrounding transaction), so a concurrent replay waits for
     * it and then sees it.
     */
    boolean firstSighting(UUID hook, String webhookId, Instant at) {
        return jdbc.sql("""
                INSERT INTO integration.incoming_webhook_seen (hook_id, webhook_id, seen_at) VALUES (:hook, :id, :at)
                ON CONFLICT DO NOTHING
                """)
                .param("hook", hook).param("id", webhookId).param("at", Timestamp.from(at)).update() == 1;
    }

    /** Forgets a sighting whose post failed, so the sender's retry is judged afresh rather than as a replay. */
    void forgetSighting(UUID hook, String webhookId) {
        jdbc.sql("DELETE FROM integration.incoming_webhook_seen WHERE hook_id = :hook AND webhook_id = :id")
                .param("hook", hook).param("id", webhookId).update();
    }

    int forgetSightingsBefore(Instant cutoff) {
        return jdbc.sql(FORGET_SIGHTINGS)
                .param("cutoff", Timestamp.from(cutoff)).update();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
