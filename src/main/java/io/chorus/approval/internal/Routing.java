package io.chorus.approval.internal;

import io.chorus.approval.FlowNode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What a moving instance asks of the org chart: who approves a node now, who takes over from whom. */
interface Routing {

    /** One resolved approver and why they were chosen. */
    record Resolved(UUID userId, ApprovalTask.Origin origin) {
    }

    /**
     * The node's approvers, deactivated ones replaced, the requester skipped (or replaced, as the
     * template says). Empty only when nobody at all could be found, or when the requester was the
     * only approver and is skipped ({@code requesterSkipped}).
     */
    record Resolution(List<Resolved> approvers, boolean requesterSkipped) {
    }

    Resolution resolve(ApprovalInstance instance, FlowNode node);

    /**
     * Who takes over a task from {@code approver}: their manager (or the next one up), else the
     * fallbacks; never anyone in {@code exclude} (those who already have a task in the step).
     */
    Optional<UUID> successor(ApprovalInstance instance, UUID approver, java.util.Set<UUID> exclude);
}
