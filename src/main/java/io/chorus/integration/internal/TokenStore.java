package io.chorus.integration.internal;

import io.chorus.integration.Bots.Token;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** API tokens, by the SHA-256 of the token: the token itself is never stored. */
@Component
class TokenStore {

    /** Every API request of a bot: its token by hash, with its bot (its plan is checked by IntegrationQueryPlanTest). */
    static final String HOLDING = """
            SELECT t.id, t.scopes, b.id AS bot_id, b.key, b.display_name, b.owner_id,
                   b.disabled_at IS NOT NULL AS bot_disabled
            FROM integration.api_token t JOIN integration.bot b ON b.id = t.bot_id
            WHERE t.secret_hash = :hash AND t.revoked_at IS NULL AND t.expires_at > :now
            """;

    private static final String COLUMNS = "id, bot_id, name, hint, scopes, created_at, expires_at, revoked_at,"
            + " last_used_at, rotated_to";

    /** Who holds a token that is valid now, and what of its bot and owner decides whether it may act. */
    record Holding(UUID tokenId, Set<String> scopes, UUID botId, String key, String displayName, UUID ownerId,
            boolean botDisabled) {
    }

    private static final RowMapper<Token> TOKEN = (rs, row) -> new Token(rs.getObject("id", UUID.class),
            rs.getObject("bot_id", UUID.class), rs.getString("name"), rs.getString("hint"),
            scopes(rs.getArray("scopes")), instant(rs.getTimestamp("created_at")),
            instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("revoked_at")),
            instant(rs.getTimestamp("last_used_at")), rs.getObject("rotated_to", UUID.class));

    private final JdbcClient jdbc;

    TokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Token token, byte[] secretHash, UUID createdBy) {
        jdbc.sql("""
                INSERT INTO integration.api_token
                    (id, bot_id, name, secret_hash, hint, scopes, created_by, created_at, expires_at)
                VALUES (:id, :bot, :name, :hash, :hint, :scopes, :by, :at, :expires)
                """)
                .param("id", token.id()).param("bot", token.botId()).param("name", token.name())
                .param("hash", secretHash).param("hint", token.hint())
                .param("scopes", token.scopes().stream().sorted().toArray(String[]::new))
                .param("by", createdBy).param("at", Timestamp.from(token.createdAt()))
                .param("expires", Timestamp.from(token.expiresAt()))
                .update();
    }

    List<Token> list(UUID bot) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.api_token WHERE bot_id = :bot ORDER BY created_at, id")
                .param("bot", bot).query(TOKEN).list();
    }

    Optional<Token> findForUpdate(UUID bot, UUID token) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.api_token WHERE bot_id = :bot AND id = :id FOR UPDATE")
                .param("bot", bot).param("id", token).query(TOKEN).optional();
    }

    void revoke(UUID token, Instant at) {
        jdbc.sql("UPDATE integration.api_token SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .param("id", token).param("at", Timestamp.from(at)).update();
    }

    /** The rotated token keeps working until {@code until} (never longer than it would have anyway). */
    void rotated(UUID token, UUID successor, Instant until) {
        jdbc.sql("UPDATE integration.api_token SET rotated_to = :successor, expires_at = least(expires_at, :until)"
                        + " WHERE id = :id")
                .param("id", token).param("successor", successor).param("until", Timestamp.from(until)).update();
    }

    Optional<Holding> holding(byte[] secretHash, Instant now) {
        return jdbc.sql(HOLDING)
                .param("hash", secretHash).param("now", Timestamp.from(now))
                .query((rs, row) -> new Holding(rs.getObject("id", UUID.class), scopes(rs.getArray("scopes")),
                        rs.getObject("bot_id", UUID.class), rs.getString("key"), rs.getString("display_name"),
                        rs.getObject("owner_id", UUID.class), rs.getBoolean("bot_disabled")))
                .optional();
    }

    /** Records a use at most once per {@code resolution}: a busy token costs one write a minute, not one per call. */
    void used(UUID token, Instant at, Duration resolution) {
        jdbc.sql("UPDATE integration.api_token SET last_used_at = :at"
                        + " WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :stale)")
                .param("id", token).param("at", Timestamp.from(at))
                .param("stale", Timestamp.from(at.minus(resolution))).update();
    }

    private static Set<String> scopes(Array array) throws SQLException {
        return Set.of((String[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
