package io.chorus.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.identity.UserId;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records that a user was seen in a token: the first sight creates their account, a changed
 * name or email updates it. Every authenticated request passes through here, so an unchanged
 * profile is answered from memory and costs no database round trip.
 */
@Component
class UserSightings {

    private final JdbcClient jdbc;
    /**
     * The profile last written for each subject. Keyed by subject, not by the whole sighting:
     * a profile that changes and then changes back must be written both times.
     */
    private final Cache<String, Known> known = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    UserSightings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The identity-provider facts about a user that Chorus keeps. */
    record Sighting(String subject, String username, String displayName, String email) {
    }

    private record Known(Sighting sighting, UserId id) {
    }

    UserId seen(Sighting sighting) {
        Known cached = known.getIfPresent(sighting.subject());
        if (cached != null && cached.sighting().equals(sighting)) {
            return cached.id();
        }
        UserId id = upsert(sighting);
        known.put(sighting.subject(), new Known(sighting, id));
        return id;
    }

    private UserId upsert(Sighting sighting) {
        Timestamp now = Timestamp.from(Instant.now());
        UUID id = jdbc.sql("""
                INSERT INTO identity.user_account
                    (id, subject, username, display_name, email, active, created_at, last_seen_at)
                VALUES (:id, :subject, :username, :displayName, :email, true, :now, :now)
                ON CONFLICT (subject) DO UPDATE
                    SET username = excluded.username,
                        display_name = excluded.display_name,
                        email = excluded.email,
                        last_seen_at = excluded.last_seen_at
                RETURNING id
                """)
                .param("id", UUID.randomUUID())
                .param("subject", sighting.subject())
                .param("username", sighting.username())
                .param("displayName", sighting.displayName())
                .param("email", sighting.email())
                .param("now", now)
                .query(UUID.class)
                .single();
        return UserId.of(id);
    }
}
