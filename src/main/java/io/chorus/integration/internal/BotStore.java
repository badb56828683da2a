package io.chorus.integration.internal;

import io.chorus.integration.Bots.Bot;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The integration facts of bot accounts: key, avatar, owner, switched off. */
@Component
class BotStore {

    private static final String COLUMNS = "id, key, display_name, avatar_url, owner_id, created_at,"
            + " disabled_at IS NOT NULL AS disabled";

    private final JdbcClient jdbc;

    BotStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** False when the key is already a bot's. */
    boolean insert(Bot bot, UUID createdBy) {
        return jdbc.sql("""
                INSERT INTO integration.bot (id, key, display_name, avatar_url, owner_id, created_by, created_at)
                VALUES (:id, :key, :name, :avatar, :owner, :by, :at)
                ON CONFLICT DO NOTHING
                """)
                .param("id", bot.id()).param("key", bot.key()).param("name", bot.displayName())
                .param("avatar", bot.avatarUrl()).param("owner", bot.ownerId()).param("by", createdBy)
                .param("at", Timestamp.from(bot.createdAt()))
                .update() == 1;
    }

    Optional<Bot> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.bot WHERE id = :id").param("id", id)
                .query(Bot.class).optional();
    }

    Optional<Bot> findForUpdate(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.bot WHERE id = :id FOR UPDATE").param("id", id)
                .query(Bot.class).optional();
    }

    /** @param owner null: every bot */
    List<Bot> list(UUID owner) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.bot"
                        + " WHERE CAST(:owner AS uuid) IS NULL OR owner_id = :owner ORDER BY key")
                .param("owner", owner)
                .query(Bot.class).list();
    }

    /** @param byAdmin an org_admin switched it off: only an org_admin switches it on again */
    void update(UUID id, String displayName, String avatarUrl, UUID owner, boolean disabled, boolean byAdmin,
            Instant at) {
        jdbc.sql("""
                UPDATE integration.bot SET display_name = :name, avatar_url = :avatar, owner_id = :owner,
                    disabled_at = CASE WHEN NOT :disabled THEN NULL ELSE coalesce(disabled_at, :at) END,
                    disabled_by_admin = :disabled AND (disabled_by_admin OR :byAdmin),
                    version = version + 1
                WHERE id = :id
                """)
                .param("id", id).param("name", displayName).param("avatar", avatarUrl).param("owner", owner)
                .param("disabled", disabled).param("byAdmin", byAdmin).param("at", Timestamp.from(at))
                .update();
    }

    boolean disabledByAdmin(UUID id) {
        return jdbc.sql("SELECT disabled_by_admin FROM integration.bot WHERE id = :id").param("id", id)
                .query(Boolean.class).optional().orElse(false);
    }
}
