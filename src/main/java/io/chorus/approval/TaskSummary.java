package io.chorus.approval;

import java.time.Instant;
import java.util.UUID;

/** A line of an approver's task list, with what they need to recognise the request. */
public record TaskSummary(UUID id, UUID instanceId, UUID templateId, String title, UUID requesterId,
        InstanceView.State instanceState, int step, String stepName, String state, Instant createdAt,
        Instant decidedAt) {
}
