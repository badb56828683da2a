package io.chorus.audit;

import io.chorus.platform.ChorusProblem;
import io.chorus.platform.ProblemCodes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a compliance officer asks of the trail; every field is optional and they combine with
 * AND. {@code targetId} needs {@code targetType}. The time range is {@code from <= occurredAt < to}.
 */
public record AuditFilter(UUID actorId, String action, String targetType, String targetId, UUID conversationId,
        UUID departmentId, Instant from, Instant to) {

    public static AuditFilter none() {
        return new AuditFilter(null, null, null, null, null, null, null, null);
    }

    /** This filter, or a 400 problem when its fields contradict each other. */
    public AuditFilter validated() {
        if (targetId != null && targetType == null) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "targetId needs targetType.");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw ChorusProblem.badRequest(ProblemCodes.VALIDATION_FAILED, "from must be before to.");
        }
        return this;
    }

    /** The filters that were set, as the audit entry of the query records them. */
    public Map<String, Object> asDetail() {
        Map<String, Object> detail = new LinkedHashMap<>();
        put(detail, "actorId", actorId);
        put(detail, "action", action);
        put(detail, "targetType", targetType);
        put(detail, "targetId", targetId);
        put(detail, "conversationId", conversationId);
        put(detail, "departmentId", departmentId);
        put(detail, "from", from);
        put(detail, "to", to);
        return detail;
    }

    private static void put(Map<String, Object> detail, String key, Object value) {
        if (value != null) {
            detail.put(key, value.toString());
        }
    }
}
