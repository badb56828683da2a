package io.chorus.approval.web;

import io.chorus.approval.Approvals;
import io.chorus.approval.InstanceView;
import io.chorus.approval.TaskQuery;
import io.chorus.approval.web.ApprovalInstanceController.Instance;
import io.chorus.identity.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An approver's tasks and their decisions. Each answers the request as it is afterwards; a task
 * of a request the caller is not part of is 404, a task of someone else's on a request they are
 * part of is 403.
 */
@RestController
@RequestMapping("/api/v1/approvals/tasks")
@PreAuthorize("hasRole('employee')")
class ApprovalTaskController {

    private final Approvals approvals;
    private final ApprovalBodies bodies;

    ApprovalTaskController(Approvals approvals, ApprovalBodies bodies) {
        this.approvals = approvals;
        this.bodies = bodies;
    }

    record ApproveRequest(String comment) {
    }

    /** {@code reason} is checked by the module: blank is {@code APPROVAL_REASON_REQUIRED}. */
    record RejectRequest(String reason) {
    }

    record TransferRequest(@NotNull UUID to, String comment) {
    }

    enum Position {
        BEFORE, AFTER
    }

    record AddSignRequest(@NotNull UUID userId, @NotNull Position position, String comment) {
    }

    record ReturnRequest(@NotNull Integer step, String comment) {
    }

    record TaskLine(UUID id, UUID instanceId, UUID templateId, String title, UUID requesterId,
            InstanceView.State instanceState, int step, String stepName, String state, Instant createdAt,
            Instant decidedAt) {
    }

    record TaskPage(List<TaskLine> items, String nextCursor) {
    }

    /** {@code state}: pending (waiting for me, the default), handled (decided or handed on by me), all. */
    @GetMapping
    TaskPage list(@AuthenticationPrincipal CurrentUser me, @RequestParam(defaultValue = "pending") String state,
            @RequestParam(required = false) UUID templateId, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) @Size(max = 500) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        TaskQuery query = new TaskQuery(QueryParameters.parse(TaskQuery.Filter.class, "state", state), templateId, from,
                to, cursor, limit);
        return bodies.tasks(approvals.tasks(me, query));
    }

    /** The body is optional: a card's approve action sends none. */
    @PostMapping("/{taskId}/approve")
    Instance approve(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID taskId,
            @RequestBody(required = false) ApproveRequest request) {
        return bodies.instance(approvals.approve(me, taskId, request == null ? null : request.comment()));
    }

    @PostMapping("/{taskId}/reject")
    Instance reject(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID taskId,
            @RequestBody RejectRequest request) {
        return bodies.instance(approvals.reject(me, taskId, request.reason()));
    }

    @PostMapping("/{taskId}/transfer")
    Instance transfer(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID taskId,
            @Valid @RequestBody TransferRequest request) {
        return bodies.instance(approvals.transfer(me, taskId, request.to(), request.comment()));
    }

    /** 加签: {@code userId} approves before the caller (who then waits) or after them (the caller approves now). */
    @PostMapping("/{taskId}/add-sign")
    Instance addSign(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID taskId,
            @Valid @RequestBody AddSignRequest request) {
        return bodies.instance(approvals.addSign(me, taskId, request.userId(), request.position() == Position.BEFORE,
                request.comment()));
    }

    /** 退回: back to an earlier approval step (an index of the request's {@code steps}). */
    @PostMapping("/{taskId}/return")
    Instance returnTo(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID taskId,
            @Valid @RequestBody ReturnRequest request) {
        return bodies.instance(approvals.returnTo(me, taskId, request.step(), request.comment()));
    }
}
