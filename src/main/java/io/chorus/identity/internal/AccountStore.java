package io.chorus.identity.internal;

import io.chorus.identity.IdentityEvents;
import io.chorus.identity.Role;
import io.chorus.identity.UserAccounts.AccountSummary;
import io.chorus.identity.UserId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    /**
     * Bots' subjects. Reserved: a token naming one is refused before anything is written, so no
     * identity provider can create or take over an account a bot will use.
     */
    static final String BOT_SUBJECT_PREFIX = "bot:";

    /** Matches the partial GIN index user_account_roles (V16): its predicate must stay the same. */
    static final String ACTIVE_HOLDERS_SQL = """
            SELECT id FROM identity.user_account
            WHERE roles @> ARRAY[:role]::text[] AND active AND kind = 'PERSON'
            ORDER BY username, id
            """;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountStore(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** The identity-provider facts about a person that Chorus keeps, roles aside. */
    record Profile(String subject, String username, String displayName, String email) {
    }

    /** The account behind a subject after an upsert, and whether it may sign in. */
    record Stored(UserId id, boolean active) {
    }

    /**
     * Creates the person's account on first sight, or brings its profile and {@code roles} up to
     * date; {@code roles} null means the source does not know them (directory sync), so the
     * stored ones stay. Only a profile change publishes {@link IdentityEvents.UserAccountChanged}
     * (nobody keeps a copy of roles), so a token seen again costs no event. Empty when the
     * subject belongs to a bot, which is left untouched: nothing but {@link #provisionBot} writes one.
     */
    @Transactional
    Optional<Stored> upsert(Profile profile, Set<Role> roles, boolean signedIn) {
        Timestamp now = Timestamp.from(clock.instant());
        record Row(UUID id, boolean active, long version, boolean changed) {
        }
        Optional<Row> written = jdbc.sql("""
                WITH before AS (
                    SELECT username, display_name, email FROM identity.user_account WHERE subject = :subject)
                INSERT INTO identity.user_account
                    (id, subject, username, display_name, email, active, roles, created_at, last_seen_at)
                VALUES (:id, :subject, :username, :displayName, :email, true, :roles, :now, :now)
                ON CONFLICT (subject) DO UPDATE
                    SET username = excluded.username,
                        display_name = excluded.display_name,
                        email = excluded.email,
                        roles = CASE WHEN :keepRoles THEN user_account.roles ELSE excluded.roles END,
                        last_seen_at = CASE WHEN :signedIn THEN excluded.last_seen_at
                                            ELSE user_account.last_seen_at END,
                        version = user_account.version
                            + CASE WHEN (user_account.username, user_account.display_name, user_account.email)
                                        IS DISTINCT FROM (excluded.username, excluded.display_name, excluded.email)
                                   THEN 1 ELSE 0 END
                    WHERE user_account.kind = 'PERSON'
                RETURNING id, active, version,
                    COALESCE((SELECT (b.username, b.display_name, b.email)
                                  IS DISTINCT FROM (:username, :displayName, :email)
                              FROM before b), true) AS changed
                """)
                .param("id", UUID.randomUUID())
                .param("subject", profile.subject())
                .param("username", profile.username())
                .param("displayName", profile.displayName())
                .param("email", profile.email())
                .param("roles", claimValues(roles == null ? Set.of() : roles))
                .param("keepRoles", roles == null)
                .param("now", now)
                .param("signedIn", signedIn)
                .query(Row.class)
                .optional();
        written.filter(Row::changed).ifPresent(row -> events.publishEvent(new IdentityEvents.UserAccountChanged(
                UserId.of(row.id()), profile.username(), profile.displayName(), profile.email(), row.active(),
                row.version(), false)));
        return written.map(row -> new Stored(UserId.of(row.id()), row.active()));
    }

    /**
     * Creates the bot {@code bot:<key>} or renames it; an unchanged bot costs a read and no event.
     * Two nodes starting at once both end up with the one account.
     */
    @Transactional
    UserId provisionBot(String key, String displayName) {
        String subject = BOT_SUBJECT_PREFIX + key;
        Timestamp now = Timestamp.from(clock.instant());
        record Row(UUID id, boolean active, long version) {
        }
        Optional<Row> written = jdbc.sql("""
                INSERT INTO identity.user_account
                    (id, subject, username, display_name, email, active, kind, created_at, last_seen_at)
                VALUES (:id, :subject, :username, :displayName, NULL, true, 'BOT', :now, :now)
                ON CONFLICT (subject) DO UPDATE
                    SET display_name = excluded.display_name, version = user_account.version + 1
                    WHERE user_account.kind = 'BOT' AND user_account.display_name <> excluded.display_name
                RETURNING id, active, version
                """)
                .param("id", UUID.randomUUID())
                .param("subject", subject)
                .param("username", key)
                .param("displayName", displayName)
                .param("now", now)
                .query(Row.class)
                .optional();
        if (written.isPresent()) {
            Row row = written.get();
            events.publishEvent(new IdentityEvents.UserAccountChanged(UserId.of(row.id()), key, displayName, null,
                    row.active(), row.version(), true));
            return UserId.of(row.id());
        }
        // Unchanged, or inserted meanwhile by another node: this statement sees its committed row.
        return jdbc.sql("SELECT id FROM identity.user_account WHERE subject = :subject AND kind = 'BOT'")
                .param("subject", subject)
                .query(UUID.class)
                .optional()
                .map(UserId::of)
                .orElseThrow(() -> new IllegalStateException("The subject " + subject + " belongs to a person"));
    }

    /** Sets the active flag; returns the subject when it changed, so caches can forget it. */
    @Transactional
    Optional<String> setActive(UserId id, boolean active) {
        record Row(String subject, String username, String displayName, String email, long version, String kind) {
        }
        Optional<Row> changed = jdbc.sql("""
                UPDATE identity.user_account SET active = :active, version = version + 1
                WHERE id = :id AND active <> :active
                RETURNING subject, username, display_name, email, version, kind
                """)
                .param("id", id.value())
                .param("active", active)
                .query(Row.class)
                .optional();
        changed.ifPresent(row -> {
            events.publishEvent(new IdentityEvents.UserAccountChanged(id, row.username(), row.displayName(),
                    row.email(), active, row.version(), "BOT".equals(row.kind())));
            events.publishEvent(active ? new IdentityEvents.UserReactivated(id, row.version())
                    : new IdentityEvents.UserDeactivated(id, row.version()));
        });
        return changed.map(Row::subject);
    }

    /** The account behind a subject as stored now. */
    record Current(UserId id, Profile profile, boolean active, boolean bot) {
    }

    Optional<Current> find(String subject) {
        return jdbc.sql("SELECT id, subject, username, display_name, email, active, kind FROM identity.user_account"
                        + " WHERE subject = :subject")
                .param("subject", subject)
                .query((rs, n) -> new Current(UserId.of(rs.getObject("id", UUID.class)),
                        new Profile(rs.getString("subject"), rs.getString("username"),
                                rs.getString("display_name"), rs.getString("email")),
                        rs.getBoolean("active"), "BOT".equals(rs.getString("kind"))))
                .optional();
    }

    /** People only: a directory that does not list a bot must not deactivate it. */
    @Transactional(readOnly = true)
    List<AccountSummary> all() {
        return jdbc.sql("SELECT id, subject, active FROM identity.user_account WHERE kind = 'PERSON'")
                .query((rs, n) -> new AccountSummary(UserId.of(rs.getObject("id", UUID.class)),
                        rs.getString("subject"), rs.getBoolean("active")))
                .list();
    }

    @Transactional(readOnly = true)
    List<UserId> activeHolders(Role role) {
        return jdbc.sql(ACTIVE_HOLDERS_SQL)
                .param("role", role.claimValue())
                .query(UUID.class)
                .list().stream().map(UserId::of).toList();
    }

    /** The realm roles an active person held when last seen; empty for a bot, an unknown or a deactivated user. */
    @Transactional(readOnly = true)
    Set<Role> activeRoles(UserId user) {
        return jdbc.sql("SELECT unnest(roles) FROM identity.user_account WHERE id = :id AND active AND kind = 'PERSON'")
                .param("id", user.value())
                .query(String.class).list().stream().flatMap(claim -> Role.fromClaim(claim).stream())
                .collect(java.util.stream.Collectors.toCollection(() -> java.util.EnumSet.noneOf(Role.class)));
    }

    /** Roles as stored: claim values, sorted, so an unchanged set is the same array. */
    private static String[] claimValues(Set<Role> roles) {
        return roles.stream().map(Role::claimValue).sorted().toArray(String[]::new);
    }
}
