package io.chorus.approval;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One request as its participants see it: the filled-in form, the steps of its route, every
 * task, and the full timeline. {@code version} grows with every change.
 */
public record InstanceView(UUID id, UUID templateId, int templateVersion, String title, UUID requesterId,
        UUID submittedBy, State state, JsonNode form, List<Step> steps, Integer currentStep, List<Task> tasks,
        List<TimelineItem> timeline, List<UUID> ccIds, UUID resubmittedFrom, Instant submittedAt,
        Instant completedAt, long version) {

    public enum State {
        PENDING, APPROVED, REJECTED, WITHDRAWN
    }

    /** An approval or CC node on this instance's route. */
    public record Step(int index, String nodeId, String name, FlowNode.Kind kind, FlowNode.Mode mode) {
    }

    public record Task(UUID id, int step, UUID approverId, String state, String origin, UUID addedBy,
            Instant createdAt, Instant activatedAt, Instant decidedAt, String comment) {
    }

    public record TimelineItem(int position, Instant at, UUID actorId, String action, Integer step, UUID taskId,
            UUID targetId, String comment, List<UUID> mentions) {
    }
}
