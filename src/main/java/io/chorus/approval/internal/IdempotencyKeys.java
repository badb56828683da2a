package io.chorus.approval.internal;

import io.chorus.approval.ApprovalProblems;
import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Idempotency-Key for creating requests: per caller, a key names one request body. Its first
 * result is remembered for the configured time; the same body again gets that result, another
 * body a 409. Bodies are compared by a hash of their canonical JSON, so key order and spacing
 * do not matter.
 */
@Component
class IdempotencyKeys {

    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ApprovalProperties properties;

    IdempotencyKeys(JdbcClient jdbc, JsonMapper json, ApprovalProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
    }

    static void checkFormat(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED,
                    "Idempotency-Key must be 1 to 200 visible ASCII characters.");
        }
    }

    String hash(Object request) {
        JsonNode canonical = canonical(json.valueToTree(request));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
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
                        throw ChorusProblem.conflict(ApprovalProblems.IDEMPOTENCY_KEY_REUSED,
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

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(entry -> sorted.put(entry.getKey(), canonical(entry.getValue())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(canonical(item)));
            return out;
        }
        return node;
    }
}
