package io.chorus.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;

/**
 * One link of the chain as stored. {@code detail} is compact JSON (written into responses as
 * JSON, not as a string); the hashes are lower-case hex. {@code eventKey} identifies what the
 * entry was recorded for, and is part of what the hash covers.
 */
public record AuditEntry(long seq, String eventKey, Instant occurredAt, Instant recordedAt, ActorType actorType, UUID actorId,
        String action, String targetType, String targetId, UUID conversationId, UUID departmentId, String sourceIp,
        String sessionId, @JsonRawValue String detail, String prevHash, String hash) {
}
