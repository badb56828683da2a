package io.chorus.approval;

import io.chorus.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every step of every approval, published in the transaction that takes it and kept in the
 * event publication registry until each listener (the audit trail, the cards in chat, later the
 * integrations' webhooks) has handled it. {@code by} is null where Chorus itself acted (a timer,
 * an escalation).
 */
public final class ApprovalEvents {

    private ApprovalEvents() {
    }

    /** Everything that happens to one instance. */
    public sealed interface InstanceEvent {
        UUID instanceId();

        Instant at();
    }

    public enum Outcome {
        APPROVED, REJECTED
    }

    /** Why a task moved to someone else. */
    public enum Handover {
        /** The approver handed it on. */
        TRANSFER,
        /** The node's timeout ran out: the approver's manager takes over. */
        ESCALATION,
        /** The approver's account was deactivated. */
        DEACTIVATION
    }

    public record ApprovalSubmitted(UUID instanceId, UUID templateId, int templateVersion, String title,
            UserId requester, UserId submittedBy, UUID resubmittedFrom, Instant at) implements InstanceEvent {
    }

    public record ApprovalTaskAssigned(UUID instanceId, UUID taskId, int step, UserId approver, String origin,
            Instant at) implements InstanceEvent {
    }

    /** A task was approved or rejected; {@code automatic} for 去重 auto-approvals. */
    public record ApprovalDecided(UUID instanceId, UUID taskId, int step, UserId approver, Outcome outcome,
            String comment, boolean automatic, Instant at) implements InstanceEvent {
    }

    public record ApprovalCompleted(UUID instanceId, UUID templateId, UserId requester, Outcome outcome, Instant at)
            implements InstanceEvent {
    }

    public record ApprovalWithdrawn(UUID instanceId, UserId by, Instant at) implements InstanceEvent {
    }

    public record ApprovalTaskHandedOver(UUID instanceId, UUID fromTaskId, UUID toTaskId, UserId from, UserId to,
            Handover reason, UserId by, String comment, Instant at) implements InstanceEvent {
    }

    /** 加签: {@code by} added {@code added} before or after themselves. */
    public record ApprovalSignAdded(UUID instanceId, UUID taskId, UUID addedTaskId, UserId by, UserId added,
            boolean before, String comment, Instant at) implements InstanceEvent {
    }

    /** 退回: the instance went back from one approval step to an earlier one. */
    public record ApprovalReturned(UUID instanceId, int fromStep, int toStep, UserId by, String comment, Instant at)
            implements InstanceEvent {
    }

    public record ApprovalCommented(UUID instanceId, UserId by, String comment, List<UserId> mentions, Instant at)
            implements InstanceEvent {
    }

    /** The requester (or, with {@code by} null, a node's reminder timeout) reminded the current approvers. */
    public record ApprovalReminded(UUID instanceId, List<UserId> approvers, UserId by, Instant at)
            implements InstanceEvent {
    }

    /** A CC node's recipients were told of the request, at submit or at completion. */
    public record ApprovalCcNotified(UUID instanceId, List<UserId> recipients, boolean atCompletion, Instant at)
            implements InstanceEvent {
    }

    /**
     * The engine noted something about routing that no person did: the requester was skipped as
     * an approver, a step found nobody at all, an escalation or a replacement found nobody.
     * {@code userId} is the person concerned, if any.
     */
    public record ApprovalRoutingNoted(UUID instanceId, Integer step, String note, UserId userId, Instant at)
            implements InstanceEvent {
    }

    /** A template was created or edited: {@code version} is its new current version. */
    public record TemplatePublished(UUID templateId, int version, String name, String category, UserId by,
            Instant at) {
    }

    public record TemplateEnabledChanged(UUID templateId, boolean enabled, UserId by, Instant at) {
    }

    public record ApprovalRoleChanged(UUID roleId, String name, List<UserId> holders, boolean deleted, UserId by,
            Instant at) {
    }
}
