package io.chorus.approval.internal;

import io.chorus.platform.ChorusProblem;
import io.chorus.platform.Idempotency;
import io.chorus.platform.ProblemCodes;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotency-Key for creating requests: per caller, a key names one request body. Its first
 * result is remembered for the configured time; the same body again gets that result, another
 * body a 409. Bodies are compared by a hash of their canonical JSON, so key order and spacing
 * do not matter.
 */
@Component
class IdempotencyKeys {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ApprovalProperties properties;

    IdempotencyKeys(JdbcClient jdbc, JsonMapper json, ApprovalProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
    }

    static void checkFormat(String key) {
        if (!Idempotency.isWellFormedKey(key)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "Idempotency-Key must be 1 to 200 visible ASCII characters.");
        }
    }

    String hash(Object request) {
        return Idempotency.fingerprint(json.valueToTree(request));
    }

    /** The instance an earlier request with this key created, if the key is still remembered; 409 if its body differed. */
    Optional<UUID> earlier(UUID caller, String key, String hash, Instant now) {
        record Row(String requestHash, UUID instanceId) {
        }
        return jdbc.sql("SELECT request_hash, instance_id FROM approval.idempotency_key"
                        + " WHERE caller_id = :caller AND key = :key AND created_at > :expiry")
                .param("caller", caller).param("key", key)
                .param("expiry", Timestamp.from(now.minus(properties.idempotencyKeyTtl())))
                .query(Row.class).optional()
                .map(row -> {
                    if (!row.requestHash().equals(hash)) {
                        throw ChorusProblem.conflict(ProblemCodes.IDEMPOTENCY_KEY_REUSED,
                                "This Idempotency-Key was used for a different request.");
                    }
                    return row.instanceId();
                });
    }

    /**
     * Remembers the key for the new instance; false when a concurrent request with the same key
     * committed first (this one then rolls back and answers with that one's result).
     */
    boolean remember(UUID caller, String key, String hash, UUID instanceId, Instant now) {
        return jdbc.sql("""
                INSERT INTO approval.idempotency_key (caller_id, key, request_hash, instance_id, created_at)
                VALUES (:caller, :key, :hash, :instance, :now)
                ON CONFLICT (caller_id, key) DO UPDATE
                    SET request_hash = excluded.request_hash, instance_id = excluded.instance_id,
                        created_at = excluded.created_at
                    WHERE idempotency_key.created_at <= :expiry
                """)
                .param("caller", caller).param("key", key).param("hash", hash).param("instance", instanceId)
                .param("now", Timestamp.from(now))
                .param("expiry", Timestamp.from(now.minus(properties.idempotencyKeyTtl())))
                .update() == 1;
    }

    int forgetExpired(Instant now) {
        return jdbc.sql("DELETE FROM approval.idempotency_key WHERE created_at <= :expiry")
                .param("expiry", Timestamp.from(now.minus(properties.idempotencyKeyTtl()))).update();
    }
}
