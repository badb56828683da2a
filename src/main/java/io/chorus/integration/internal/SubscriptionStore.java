package io.chorus.integration.internal;

import io.chorus.integration.Subscriptions.Subscription;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Subscriptions, with the secrets that sign their deliveries. */
@Component
class SubscriptionStore {

    private static final String COLUMNS = "id, owner_id, url, event_types, conversation_ids, description, secret,"
            + " previous_secret, previous_secret_until, enabled, disabled_reason, created_at, updated_at";

    /** A subscription as stored: the API's view plus the secrets. */
    record Row(UUID id, UUID ownerId, String url, List<String> eventTypes, List<UUID> conversationIds,
            String description, String secret, String previousSecret, Instant previousSecretUntil, boolean enabled,
            String disabledReason, Instant createdAt, Instant updatedAt) {

        Subscription view(Instant now) {
            Instant overlap = previousSecretUntil != null && previousSecretUntil.isAfter(now) ? previousSecretUntil
                    : null;
            return new Subscription(id, ownerId, url, eventTypes, conversationIds, description, enabled,
                    disabledReason, overlap, createdAt, updatedAt);
        }

        /** The secrets that sign a delivery now: the current one, and the previous one during the overlap. */
        List<String> signingSecrets(Instant now) {
            return previousSecret != null && previousSecretUntil != null && previousSecretUntil.isAfter(now)
                    ? List.of(secret, previousSecret) : List.of(secret);
        }
    }

    /** What the subscription index loads: every enabled subscription, read whole by design. */
    static final String ENABLED = "SELECT " + COLUMNS + " FROM integration.subscription WHERE enabled";

    private static final RowMapper<Row> ROW = SubscriptionStore::row;

    private final JdbcClient jdbc;

    SubscriptionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Row row) {
        jdbc.sql("""
                INSERT INTO integration.subscription (id, owner_id, url, event_types, conversation_ids, description,
                    secret, enabled, created_at, updated_at)
                VALUES (:id, :owner, :url, :types, :conversations, :description, :secret, true, :at, :at)
                """)
                .param("id", row.id()).param("owner", row.ownerId()).param("url", row.url())
                .param("types", row.eventTypes().toArray(String[]::new))
                .param("conversations", row.conversationIds().toArray(UUID[]::new))
                .param("description", row.description()).param("secret", row.secret())
                .param("at", Timestamp.from(row.createdAt()))
                .update();
    }

    int count(UUID owner) {
        return jdbc.sql("SELECT count(*) FROM integration.subscription WHERE owner_id = :owner").param("owner", owner)
                .query(Integer.class).single();
    }

    List<Row> list(UUID owner) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.subscription WHERE owner_id = :owner"
                        + " ORDER BY created_at, id")
                .param("owner", owner).query(ROW).list();
    }

    /** The owner's subscription; someone else's is as absent as one that does not exist. */
    Optional<Row> find(UUID owner, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.subscription WHERE id = :id AND owner_id = :owner")
                .param("id", id).param("owner", owner).query(ROW).optional();
    }

    Optional<Row> findForUpdate(UUID owner, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.subscription WHERE id = :id AND owner_id = :owner"
                        + " FOR UPDATE")
                .param("id", id).param("owner", owner).query(ROW).optional();
    }

    /** For the worker, which acts for every owner. */
    Optional<Row> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM integration.subscription WHERE id = :id").param("id", id)
                .query(ROW).optional();
    }

    /** Every enabled subscription, for the in-memory index the message hot path consults. */
    List<Row> enabled() {
        return jdbc.sql(ENABLED).query(ROW).list();
    }

    void update(Row row) {
        jdbc.sql("""
                UPDATE integration.subscription SET url = :url, event_types = :types,
                    conversation_ids = :conversations, description = :description, enabled = :enabled,
                    disabled_reason = :reason, updated_at = :at
                WHERE id = :id
                """)
                .param("id", row.id()).param("url", row.url())
                .param("types", row.eventTypes().toArray(String[]::new))
                .param("conversations", row.conversationIds().toArray(UUID[]::new))
                .param("description", row.description()).param("enabled", row.enabled())
                .param("reason", row.disabledReason()).param("at", Timestamp.from(row.updatedAt()))
                .update();
    }

    void rotate(UUID id, String secret, String previous, Instant previousUntil, Instant at) {
        jdbc.sql("""
                UPDATE integration.subscription SET secret = :secret, previous_secret = :previous,
                    previous_secret_until = :until, updated_at = :at
                WHERE id = :id
                """)
                .param("id", id).param("secret", secret).param("previous", previous)
                .param("until", Timestamp.from(previousUntil)).param("at", Timestamp.from(at))
                .update();
    }

    /** Switched off by Chorus (the endpoint answered 410 Gone): the reason tells the integrator why. */
    boolean disable(UUID id, String reason, Instant at) {
        return jdbc.sql("UPDATE integration.subscription SET enabled = false, disabled_reason = :reason,"
                        + " updated_at = :at WHERE id = :id AND enabled")
                .param("id", id).param("reason", reason).param("at", Timestamp.from(at)).update() == 1;
    }

    void delete(UUID id) {
        jdbc.sql("DELETE FROM integration.subscription WHERE id = :id").param("id", id).update();
    }

    private static Row row(ResultSet rs, int rowNum) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class), rs.getString("url"),
                List.of((String[]) rs.getArray("event_types").getArray()),
                List.of((UUID[]) rs.getArray("conversation_ids").getArray()), rs.getString("description"),
                rs.getString("secret"), rs.getString("previous_secret"), instant(rs.getTimestamp("previous_secret_until")),
                rs.getBoolean("enabled"), rs.getString("disabled_reason"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
