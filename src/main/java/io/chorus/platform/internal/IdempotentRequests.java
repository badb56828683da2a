package io.chorus.platform.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The remembered requests behind {@code Idempotency-Key}: a claim taken before a request runs
 * and the response it ended with. Every statement commits on its own (no surrounding
 * transaction), so a claim is visible to a concurrent duplicate on any node at once.
 */
final class IdempotentRequests {

    /**
     * Takes the key, or takes it over when the row holding it has expired or is an unfinished
     * claim of the same request that went stale (its node died). The primary key serialises
     * concurrent claims: exactly one of them inserts.
     */
    static final String CLAIM = """
            INSERT INTO platform.idempotent_request (caller, key, fingerprint, state, claim_id, created_at)
            VALUES (:caller, :key, :fingerprint, 'IN_PROGRESS', :claim, :now)
            ON CONFLICT (caller, key) DO UPDATE
                SET fingerprint = excluded.fingerprint, state = 'IN_PROGRESS', claim_id = excluded.claim_id,
                    created_at = excluded.created_at, status = NULL, content_type = NULL, location = NULL, body = NULL
                WHERE idempotent_request.created_at <= :expiry
                   OR (idempotent_request.state = 'IN_PROGRESS' AND idempotent_request.created_at <= :stale
                       AND idempotent_request.fingerprint = excluded.fingerprint)
            """;

    static final String FIND = """
            SELECT fingerprint, state, status, content_type, location, body
            FROM platform.idempotent_request
            WHERE caller = :caller AND key = :key AND created_at > :expiry
            """;

    static final String COMPLETE = """
            UPDATE platform.idempotent_request
            SET state = 'COMPLETED', status = :status, content_type = :contentType, location = :location, body = :body
            WHERE caller = :caller AND key = :key AND claim_id = :claim AND state = 'IN_PROGRESS'
            """;

    static final String RELEASE = """
            DELETE FROM platform.idempotent_request
            WHERE caller = :caller AND key = :key AND claim_id = :claim AND state = 'IN_PROGRESS'
            """;

    /**
     * In batches through the age index, so one run never holds many row locks at once. By row
     * address: matched by (caller, key), PostgreSQL scans the whole table to join the batch. The
     * age is checked again in case a key expired and was claimed afresh meanwhile.
     */
    static final String DELETE_EXPIRED = """
            DELETE FROM platform.idempotent_request
            WHERE ctid = ANY (ARRAY(
                    SELECT ctid FROM platform.idempotent_request WHERE created_at <= :expiry LIMIT :batch))
              AND created_at <= :expiry
            """;

    /** What is known about a key: the request that holds it and, once it completed, its response. */
    record Remembered(String fingerprint, String state, Integer status, String contentType, String location,
            byte[] body) {

        boolean completed() {
            return "COMPLETED".equals(state);
        }
    }

    /** The outcome of a claim: this request holds the key (with {@code claim}), or someone else's row does. */
    sealed interface Claim {
    }

    record Claimed(UUID claim) implements Claim {
    }

    record HeldBy(Remembered holder) implements Claim {
    }

    private final JdbcClient jdbc;
    private final IdempotencyProperties properties;

    IdempotentRequests(JdbcClient jdbc, IdempotencyProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    Claim claim(String caller, String key, String fingerprint, Instant now) {
        while (true) {
            UUID claim = UUID.randomUUID();
            int taken = jdbc.sql(CLAIM)
                    .param("caller", caller).param("key", key).param("fingerprint", fingerprint).param("claim", claim)
                    .param("now", Timestamp.from(now))
                    .param("expiry", Timestamp.from(now.minus(properties.ttl())))
                    .param("stale", Timestamp.from(now.minus(properties.staleAfter())))
                    .update();
            if (taken == 1) {
                return new Claimed(claim);
            }
            Optional<Remembered> holder = find(caller, key, now);
            if (holder.isPresent()) {
                return new HeldBy(holder.get());
            }
            // The holder failed and released the key between the two statements: claim again.
        }
    }

    Optional<Remembered> find(String caller, String key, Instant now) {
        return jdbc.sql(FIND).param("caller", caller).param("key", key)
                .param("expiry", Timestamp.from(now.minus(properties.ttl())))
                .query(Remembered.class).optional();
    }

    /** False when the claim is no longer this request's (taken over as stale): its result is then not kept. */
    boolean complete(String caller, String key, UUID claim, int status, String contentType, String location,
            byte[] body) {
        return jdbc.sql(COMPLETE)
                .param("caller", caller).param("key", key).param("claim", claim).param("status", status)
                .param("contentType", contentType).param("location", location).param("body", body)
                .update() == 1;
    }

    void release(String caller, String key, UUID claim) {
        jdbc.sql(RELEASE).param("caller", caller).param("key", key).param("claim", claim).update();
    }

    /** Deletes every key older than the time-to-live; returns how many. */
    int deleteExpired(Instant now) {
        int deleted = 0;
        int batch;
        do {
            batch = jdbc.sql(DELETE_EXPIRED)
                    .param("expiry", Timestamp.from(now.minus(properties.ttl())))
                    .param("batch", properties.cleanupBatchSize())
                    .update();
            deleted += batch;
        } while (batch == properties.cleanupBatchSize());
        return deleted;
    }
}
