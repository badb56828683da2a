package io.chorus.identity.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A user as Chorus knows them: created the first time their token is seen, refreshed after; or a bot. */
@Entity
@Table(schema = "identity", name = "user_account")
class UserAccount {

    @Id
    private UUID id;

    @Column(nullable = false, unique = true)
    private String subject;

    @Column(nullable = false)
    private String username;

    @Column(name = "display_name", nullable = false)
    private String displayName;

    private String email;

    @Column(nullable = false)
    private boolean active;

    /** PERSON or BOT; written only by {@link AccountStore}. */
    @Column(nullable = false)
    private String kind;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "last_seen_at", nullable = false)
    private Instant lastSeenAt;

    protected UserAccount() {
    }

    UUID id() {
        return id;
    }

    String username() {
        return username;
    }

    String displayName() {
        return displayName;
    }

    String email() {
        return email;
    }

    boolean active() {
        return active;
    }

    boolean bot() {
        return "BOT".equals(kind);
    }
}
