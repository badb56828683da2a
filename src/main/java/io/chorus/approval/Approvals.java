package io.chorus.approval;

import io.chorus.identity.CurrentUser;
import java.util.List;
import java.util.UUID;

/**
 * Requests and their tasks: everything employees, approvers and integrations do with them.
 * Every command re-checks who may do it, whether it comes over REST, STOMP or a card action.
 * A caller who may not see an instance gets 404 for it, never 403.
 */
public interface Approvals {

    /** The instance, and whether it is the first result of an earlier request with the same Idempotency-Key. */
    record Submitted(InstanceView instance, boolean replayed) {
    }

    Submitted submit(CurrentUser caller, SubmitApproval command, String idempotencyKey);

    InstanceView approve(CurrentUser caller, UUID taskId, String comment);

    InstanceView reject(CurrentUser caller, UUID taskId, String reason);

    InstanceView transfer(CurrentUser caller, UUID taskId, UUID to, String comment);

    InstanceView addSign(CurrentUser caller, UUID taskId, UUID added, boolean before, String comment);

    InstanceView returnTo(CurrentUser caller, UUID taskId, int step, String comment);

    InstanceView withdraw(CurrentUser caller, UUID instanceId);

    InstanceView comment(CurrentUser caller, UUID instanceId, String text, List<UUID> mentions);

    InstanceView remind(CurrentUser caller, UUID instanceId);

    InstanceView get(CurrentUser caller, UUID instanceId);

    ApprovalPage<InstanceSummary> instances(CurrentUser caller, InstanceQuery query);

    ApprovalPage<TaskSummary> tasks(CurrentUser caller, TaskQuery query);
}
