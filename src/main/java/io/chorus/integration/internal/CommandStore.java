package io.chorus.integration.internal;

import io.chorus.integration.SlashCommands.Available;
import io.chorus.integration.SlashCommands.Command;
import io.chorus.integration.SlashCommands.Interactivity;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Bots' slash commands, interactivity endpoints, and the response URLs of commands in flight. */
@Component
class CommandStore {

    /** The secrets a request to an endpoint is signed with now: the current one, and the previous during its overlap. */
    record Signing(String secret, String previousSecret, Instant previousUntil) {

        List<String> valid(Instant now) {
            List<String> secrets = new ArrayList<>(List.of(secret));
            if (previousSecret != null && previousUntil != null && previousUntil.isAfter(now)) {
                secrets.add(previousSecret);
            }
            return secrets;
        }
    }

    /** A command as an invocation needs it: the bot, where to send it, how to sign it. */
    record Target(UUID botId, String botKey, String name, URI url, Signing signing) {
    }

    /** The interactivity endpoint of a card's bot. */
    record Endpoint(UUID botId, URI url, Signing signing) {
    }

    /** A response URL just used: what it answers into. */
    record Pending(UUID invocationId, UUID botId, String botKey, String command, UUID conversationId,
            UUID callerId, int use) {
    }

    /** A typed command's registrations, by name (then narrowed to the conversation's bots). */
    static final String TARGETS = """
            SELECT c.bot_id, b.key, c.name, c.url, c.secret, c.previous_secret, c.previous_until
            FROM integration.command c JOIN integration.bot b ON b.id = c.bot_id
            WHERE c.name = :name AND b.disabled_at IS NULL
            ORDER BY b.key
            """;

    /** The commands of a conversation's bots, for completion. */
    static final String AVAILABLE = """
            SELECT c.name, c.bot_id, b.key, c.description, c.usage_hint
            FROM integration.command c JOIN integration.bot b ON b.id = c.bot_id
            WHERE c.bot_id = ANY(:bots) ORDER BY c.name, b.key
            """;

    private static final String COMMAND_COLUMNS = "bot_id, name, url, description, usage_hint, created_at, updated_at";

    private static final RowMapper<Command> COMMAND = (rs, row) -> new Command(rs.getObject("bot_id", UUID.class),
            rs.getString("name"), URI.create(rs.getString("url")), rs.getString("description"),
            rs.getString("usage_hint"), instant(rs, "created_at"), instant(rs, "updated_at"));

    private static final RowMapper<Interactivity> INTERACTIVITY = (rs, row) -> new Interactivity(
            rs.getObject("bot_id", UUID.class), URI.create(rs.getString("url")), instant(rs, "created_at"),
            instant(rs, "updated_at"));

    private final JdbcClient jdbc;

    CommandStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Command> command(UUID bot, String name) {
        return jdbc.sql("SELECT " + COMMAND_COLUMNS + " FROM integration.command WHERE bot_id = :bot AND name = :name")
                .param("bot", bot).param("name", name).query(COMMAND).optional();
    }

    List<Command> commands(UUID bot) {
        return jdbc.sql("SELECT " + COMMAND_COLUMNS + " FROM integration.command WHERE bot_id = :bot ORDER BY name")
                .param("bot", bot).query(COMMAND).list();
    }

    int count(UUID bot) {
        return jdbc.sql("SELECT count(*) FROM integration.command WHERE bot_id = :bot").param("bot", bot)
                .query(Integer.class).single();
    }

    /** Every switched-on bot's registration of this name, with the bot's key. */
    List<Target> targets(String name) {
        return jdbc.sql(TARGETS)
                .param("name", name)
                .query((rs, row) -> new Target(rs.getObject("bot_id", UUID.class), rs.getString("key"),
                        rs.getString("name"), URI.create(rs.getString("url")), signing(rs)))
                .list();
    }

    /** The switched-on bots that registered any command. */
    List<UUID> botsWithCommands() {
        return jdbc.sql("""
                SELECT DISTINCT c.bot_id FROM integration.command c JOIN integration.bot b ON b.id = c.bot_id
                WHERE b.disabled_at IS NULL
                """).query(UUID.class).list();
    }

    List<Available> available(List<UUID> bots) {
        return jdbc.sql(AVAILABLE)
                .param("bots", bots.toArray(UUID[]::new))
                .query((rs, row) -> new Available(rs.getString("name"), rs.getObject("bot_id", UUID.class),
                        rs.getString("key"), rs.getString("description"), rs.getString("usage_hint")))
                .list();
    }

    /** Inserts or replaces; a new secret only when {@code secret} is given (the old one then overlaps until {@code overlapUntil}). */
    void saveCommand(Command command, String secret, Instant overlapUntil) {
        jdbc.sql("""
                INSERT INTO integration.command
                    (bot_id, name, url, description, usage_hint, secret, created_at, updated_at)
                VALUES (:bot, :name, :url, :description, :hint, :secret, :at, :at)
                ON CONFLICT (bot_id, name) DO UPDATE SET
                    url = excluded.url, description = excluded.description, usage_hint = excluded.usage_hint,
                    updated_at = excluded.updated_at,
                    secret = CASE WHEN :rotate THEN excluded.secret ELSE command.secret END,
                    previous_secret = CASE WHEN :rotate THEN command.secret ELSE command.previous_secret END,
                    previous_until = CASE WHEN :rotate THEN CAST(:until AS timestamptz) ELSE command.previous_until END
                """)
                .param("bot", command.botId()).param("name", command.name()).param("url", command.url().toString())
                .param("description", command.description()).param("hint", command.usageHint())
                .param("secret", secret == null ? "" : secret).param("rotate", secret != null)
                .param("until", overlapUntil == null ? null : Timestamp.from(overlapUntil))
                .param("at", Timestamp.from(command.updatedAt()))
                .update();
    }

    boolean deleteCommand(UUID bot, String name) {
        return jdbc.sql("DELETE FROM integration.command WHERE bot_id = :bot AND name = :name")
                .param("bot", bot).param("name", name).update() == 1;
    }

    Optional<Interactivity> interactivity(UUID bot) {
        return jdbc.sql("SELECT bot_id, url, created_at, updated_at FROM integration.interactivity WHERE bot_id = :bot")
                .param("bot", bot).query(INTERACTIVITY).optional();
    }

    Optional<Endpoint> endpoint(UUID bot) {
        return jdbc.sql("""
                SELECT i.bot_id, i.url, i.secret, i.previous_secret, i.previous_until
                FROM integration.interactivity i JOIN integration.bot b ON b.id = i.bot_id
                WHERE i.bot_id = :bot AND b.disabled_at IS NULL
                """)
                .param("bot", bot)
                .query((rs, row) -> new Endpoint(rs.getObject("bot_id", UUID.class), URI.create(rs.getString("url")),
                        signing(rs)))
                .optional();
    }

    void saveInteractivity(Interactivity endpoint, String secret, Instant overlapUntil) {
        jdbc.sql("""
                INSERT INTO integration.interactivity (bot_id, url, secret, created_at, updated_at)
                VALUES (:bot, :url, :secret, :at, :at)
                ON CONFLICT (bot_id) DO UPDATE SET
                    url = excluded.url, updated_at = excluded.updated_at,
                    secret = CASE WHEN :rotate THEN excluded.secret ELSE interactivity.secret END,
                    previous_secret = CASE WHEN :rotate THEN interactivity.secret ELSE interactivity.previous_secret END,
                    previous_until = CASE WHEN :rotate THEN CAST(:until AS timestamptz)
                                          ELSE interactivity.previous_until END
                """)
                .param("bot", endpoint.botId()).param("url", endpoint.url().toString())
                .param("secret", secret == null ? "" : secret).param("rotate", secret != null)
                .param("until", overlapUntil == null ? null : Timestamp.from(overlapUntil))
                .param("at", Timestamp.from(endpoint.updatedAt()))
                .update();
    }

    boolean deleteInteractivity(UUID bot) {
        return jdbc.sql("DELETE FROM integration.interactivity WHERE bot_id = :bot").param("bot", bot).update() == 1;
    }

    /** Remembers a response URL's token (its hash), and forgets a few long-expired ones on the way. */
    void saveResponse(byte[] tokenHash, UUID invocation, Target target, UUID conversation, UUID caller,
            Instant at, Instant expiresAt) {
        // Expired rows are useless: each new one clears some, so the table stays as small as the
        // commands of the last half hour without a job of its own.
        jdbc.sql("""
                DELETE FROM integration.command_response WHERE token_hash IN (
                    SELECT token_hash FROM integration.command_response WHERE expires_at < :at LIMIT 20)
                """)
                .param("at", Timestamp.from(at)).update();
        jdbc.sql("""
                INSERT INTO integration.command_response
                    (token_hash, invocation_id, bot_id, command, conversation_id, caller_id, created_at, expires_at)
                VALUES (:hash, :invocation, :bot, :command, :conversation, :caller, :at, :expires)
                """)
                .param("hash", tokenHash).param("invocation", invocation).param("bot", target.botId())
                .param("command", target.name()).param("conversation", conversation).param("caller", caller)
                .param("at", Timestamp.from(at)).param("expires", Timestamp.from(expiresAt))
                .update();
    }

    /** Counts one use of a response URL, if it is still valid: unexpired and not used up. */
    Optional<Pending> useResponse(byte[] tokenHash, Instant now, int maxUses) {
        return jdbc.sql("""
                UPDATE integration.command_response r SET uses = uses + 1
                FROM integration.bot b
                WHERE r.token_hash = :hash AND r.expires_at > :now AND r.uses < :max AND b.id = r.bot_id
                RETURNING r.invocation_id, r.bot_id, b.key, r.command, r.conversation_id, r.caller_id, r.uses
                """)
                .param("hash", tokenHash).param("now", Timestamp.from(now)).param("max", maxUses)
                .query((rs, row) -> new Pending(rs.getObject("invocation_id", UUID.class),
                        rs.getObject("bot_id", UUID.class), rs.getString("key"), rs.getString("command"),
                        rs.getObject("conversation_id", UUID.class), rs.getObject("caller_id", UUID.class),
                        rs.getInt("uses")))
                .optional();
    }

    /** Gives back the use {@link #useResponse} took, for an answer that was refused after all. */
    void returnUse(byte[] tokenHash) {
        jdbc.sql("UPDATE integration.command_response SET uses = uses - 1 WHERE token_hash = :hash AND uses > 0")
                .param("hash", tokenHash).update();
    }

    private static Signing signing(ResultSet rs) throws SQLException {
        return new Signing(rs.getString("secret"), rs.getString("previous_secret"), instant(rs, "previous_until"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
