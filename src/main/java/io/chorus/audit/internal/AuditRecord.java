package io.chorus.audit.internal;

import io.chorus.audit.ActorType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * An entry before it is chained. Times are cut to microseconds, PostgreSQL's precision, so the
 * hash computed now matches the one recomputed from the stored row.
 */
public record AuditRecord(String eventKey, Instant occurredAt, ActorType actorType, UUID actorId, String action,
        String targetType, String targetId, UUID conversationId, UUID departmentId, String sourceIp,
        String sessionId, String detail) {

    public AuditRecord {
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    }
}
