package io.chorus.audit.internal;

import io.chorus.approval.ApprovalEvents;
import io.chorus.approval.ApprovalEvents.Outcome;
import io.chorus.identity.UserId;
import java.util.List;
import java.util.UUID;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Every step of every approval, as audit entries: compliance officers see approvals here, not
 * through the approval API. Steps of a request name the request (target {@code APPROVAL}, its
 * id) so one filter lists its whole history. Comments, decision comments and rejection
 * reasons are recorded with their text: unlike chat messages (which compliance reads through
 * compliance search), a request's reasons are business records the trail is the only window on. {@code by} null (a timer, an escalation, the engine itself) is recorded as the system.
 */
@Component
class ApprovalActivity {

    static final String APPROVAL = "APPROVAL";
    static final String TEMPLATE = "APPROVAL_TEMPLATE";
    static final String ROLE = "APPROVAL_ROLE";

    private final ActivityLog log;

    ApprovalActivity(ActivityLog log) {
        this.log = log;
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalSubmitted e) {
        log.record(step("approval.submitted", e, e.submittedBy())
                .detail("templateId", e.templateId().toString()).detail("templateVersion", e.templateVersion())
                .detail("title", e.title()).detail("requesterId", e.requester())
                .detail("resubmittedFrom", text(e.resubmittedFrom())));
    }

    /** The engine assigns: the person whose act caused it (a transfer, an add-sign) has an entry of their own. */
    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalTaskAssigned e) {
        log.record(step("approval.task_assigned", e, null)
                .detail("taskId", e.taskId().toString()).detail("step", e.step())
                .detail("approverId", e.approver()).detail("origin", e.origin()));
    }

    /** An automatic approval (去重) is Chorus's decision on the approver's behalf. */
    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalDecided e) {
        String action = e.outcome() == Outcome.APPROVED ? "approval.task_approved" : "approval.task_rejected";
        log.record(step(action, e, e.automatic() ? null : e.approver())
                .detail("taskId", e.taskId().toString()).detail("step", e.step())
                .detail("approverId", e.approver()).detail("automatic", e.automatic())
                .detail("comment", e.comment()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalCompleted e) {
        log.record(step("approval.completed", e, null).detail("outcome", e.outcome().name())
                .detail("templateId", e.templateId().toString()).detail("requesterId", e.requester()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalWithdrawn e) {
        log.record(step("approval.withdrawn", e, e.by()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalTaskHandedOver e) {
        String action = switch (e.reason()) {
            case TRANSFER -> "approval.task_transferred";
            case ESCALATION -> "approval.task_escalated";
            case DEACTIVATION -> "approval.task_reassigned";
        };
        log.record(step(action, e, e.by())
                .detail("fromTaskId", e.fromTaskId().toString()).detail("toTaskId", e.toTaskId().toString())
                .detail("fromApproverId", e.from()).detail("toApproverId", e.to())
                .detail("reason", e.reason().name()).detail("comment", e.comment()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalSignAdded e) {
        log.record(step("approval.sign_added", e, e.by())
                .detail("taskId", e.taskId().toString()).detail("addedTaskId", e.addedTaskId().toString())
                .detail("addedApproverId", e.added()).detail("position", e.before() ? "BEFORE" : "AFTER")
                .detail("comment", e.comment()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalReturned e) {
        log.record(step("approval.returned", e, e.by()).detail("fromStep", e.fromStep())
                .detail("toStep", e.toStep()).detail("comment", e.comment()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalRoutingNoted e) {
        log.record(step("approval.routing_noted", e, null).detail("step", e.step()).detail("note", e.note())
                .detail("userId", e.userId()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalCommented e) {
        log.record(step("approval.commented", e, e.by()).detail("comment", e.comment())
                .detail("mentionIds", ids(e.mentions())));
    }

    /** {@code by} null: a node's reminder timeout, not the requester, sent it. */
    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalReminded e) {
        log.record(step("approval.reminded", e, e.by()).detail("approverIds", ids(e.approvers())));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalCcNotified e) {
        log.record(step("approval.cc_notified", e, null).detail("recipientIds", ids(e.recipients()))
                .detail("moment", e.atCompletion() ? "COMPLETION" : "SUBMIT"));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.TemplatePublished e) {
        log.record(Activity.of("approval.template_published", e).at(e.at()).by(e.by()).target(TEMPLATE, e.templateId())
                .detail("version", e.version()).detail("name", e.name()).detail("category", e.category()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.TemplateEnabledChanged e) {
        log.record(Activity.of(e.enabled() ? "approval.template_enabled" : "approval.template_disabled", e)
                .at(e.at()).by(e.by()).target(TEMPLATE, e.templateId()));
    }

    @ApplicationModuleListener
    void on(ApprovalEvents.ApprovalRoleChanged e) {
        Activity activity = Activity.of(e.deleted() ? "approval.role_deleted" : "approval.role_changed", e)
                .at(e.at()).by(e.by()).target(ROLE, e.roleId()).detail("name", e.name());
        log.record(e.deleted() ? activity : activity.detail("holderIds", ids(e.holders())));
    }

    private static Activity step(String action, ApprovalEvents.InstanceEvent event, UserId by) {
        return Activity.of(action, event).at(event.at()).by(by).target(APPROVAL, event.instanceId());
    }

    private static List<String> ids(List<UserId> users) {
        return users.stream().map(user -> user.value().toString()).toList();
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }

}
