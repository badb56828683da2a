package io.chorus.identity.internal;

import io.chorus.identity.IdentityEvents;
import io.chorus.identity.UserAccounts.AccountSummary;
import io.chorus.identity.UserId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes accounts and tells the other modules what changed, in the same transaction (the
 * event publication registry keeps those events until their listeners have run).
 */
@Component
class AccountStore {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountStore(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** The account behind a subject after an upsert, and whether it may sign in. */
    record Stored(UserId id, boolean active) {
    }

    /**
     * Creates the account on first sight, or brings its profile up to date. Only a real change
     * publishes {@link IdentityEvents.UserAccountChanged}, so a token seen again costs no event.
     */
    @Transactional
    Stored upsert(UserSightings.Sighting sighting, boolean signedIn) {
        Timestamp now = Timestamp.from(clock.instant());
        record Row(UUID id, boolean active, long version, boolean changed) {
        }
        Row row = jdbc.sql("""
                WITH before AS (
                    SELECT username, display_name, email FROM identity.user_account WHERE subject = :subject)
                INSERT INTO identity.user_account
                    (id, subject, username, display_name, email, active, created_at, last_seen_at)
                VALUES (:id, :subject, :username, :displayName, :email, true, :now, :now)
                ON CONFLICT (subject) DO UPDATE
                    SET username = excluded.username,
                        display_name = excluded.display_name,
                        email = excluded.email,
                        last_seen_at = CASE WHEN :signedIn THEN excluded.last_seen_at
                                            ELSE user_account.last_seen_at END,
                        version = user_account.version
                            + CASE WHEN (user_account.username, user_account.display_name, user_account.email)
                                        IS DISTINCT FROM (excluded.username, excluded.display_name, excluded.email)
                                   THEN 1 ELSE 0 END
                RETURNING id, active, version,
                    COALESCE((SELECT (b.username, b.display_name, b.email)
                                  IS DISTINCT FROM (:username, :displayName, :email)
                              FROM before b), true) AS changed
                """)
                .param("id", UUID.randomUUID())
                .param("subject", sighting.subject())
                .param("username", sighting.username())
                .param("displayName", sighting.displayName())
                .param("email", sighting.email())
                .param("now", now)
                .param("signedIn", signedIn)
                .query(Row.class)
                .single();
        UserId id = UserId.of(row.id());
        if (row.changed()) {
            events.publishEvent(new IdentityEvents.UserAccountChanged(id, sighting.username(),
                    sighting.displayName(), sighting.email(), row.active(), row.version()));
        }
        return new Stored(id, row.active());
    }

    /** Sets the active flag; returns the subject when it changed, so caches can forget it. */
    @Transactional
    Optional<String> setActive(UserId id, boolean active) {
        record Row(String subject, String username, String displayName, String email, long version) {
        }
        Optional<Row> changed = jdbc.sql("""
                UPDATE identity.user_account SET active = :active, version = version + 1
                WHERE id = :id AND active <> :active
                RETURNING subject, username, display_name, email, version
                """)
                .param("id", id.value())
                .param("active", active)
                .query(Row.class)
                .optional();
        changed.ifPresent(row -> {
            events.publishEvent(new IdentityEvents.UserAccountChanged(id, row.username(), row.displayName(),
                    row.email(), active, row.version()));
            events.publishEvent(active ? new IdentityEvents.UserReactivated(id, row.version())
                    : new IdentityEvents.UserDeactivated(id, row.version()));
        });
        return changed.map(Row::subject);
    }

    /** The account behind a subject as stored now, with the profile in a sighting's terms. */
    record Current(UserId id, UserSightings.Sighting profile, boolean active) {
    }

    Optional<Current> find(String subject) {
        return jdbc.sql("SELECT id, subject, username, display_name, email, active FROM identity.user_account"
                        + " WHERE subject = :subject")
                .param("subject", subject)
                .query((rs, n) -> new Current(UserId.of(rs.getObject("id", UUID.class)),
                        new UserSightings.Sighting(rs.getString("subject"), rs.getString("username"),
                                rs.getString("display_name"), rs.getString("email")),
                        rs.getBoolean("active")))
                .optional();
    }

    @Transactional(readOnly = true)
    List<AccountSummary> all() {
        return jdbc.sql("SELECT id, subject, active FROM identity.user_account")
                .query((rs, n) -> new AccountSummary(UserId.of(rs.getObject("id", UUID.class)),
                        rs.getString("subject"), rs.getBoolean("active")))
                .list();
    }
}
