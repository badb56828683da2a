package io.chorus.approval;

import java.time.Instant;
import java.util.UUID;

/** A line of a list of requests. */
public record InstanceSummary(UUID id, UUID templateId, String title, UUID requesterId, UUID submittedBy,
        InstanceView.State state, Integer currentStep, Instant submittedAt, Instant completedAt) {
}
