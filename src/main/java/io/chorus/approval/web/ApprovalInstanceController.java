package io.chorus.approval.web;

import io.chorus.approval.Approvals;
import io.chorus.approval.FlowNode;
import io.chorus.approval.InstanceQuery;
import io.chorus.approval.InstanceView;
import io.chorus.identity.CurrentUser;
import io.chorus.platform.Idempotency;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Approval requests: filing one (also by an integration on behalf of an employee), reading and
 * listing them, and what the requester and other participants do with them. Whoever is not part
 * of a request gets 404 for it, as if it did not exist.
 */
@RestController
@RequestMapping("/api/v1/approvals/instances")
@PreAuthorize("hasAnyRole('employee', 'integration')")
class ApprovalInstanceController {

    private final Approvals approvals;
    private final ApprovalBodies bodies;

    ApprovalInstanceController(Approvals approvals, ApprovalBodies bodies) {
        this.approvals = approvals;
        this.bodies = bodies;
    }

    /**
     * {@code requesterId}: the employee an integration files for (null: the caller);
     * {@code chosenApprovers}: by node id, the people picked for 自选 nodes.
     */
    record SubmitRequest(UUID templateId, JsonNode form,
            Map<String, @NotNull List<@NotNull UUID>> chosenApprovers, UUID requesterId,
            UUID resubmitOf) {
    }

    record CommentRequest(@NotNull String text, List<@NotNull UUID> mentions) {
    }

    /** One request as its participants see it; {@code form} holds the values by field key. */
    record Instance(UUID id, UUID templateId, int templateVersion, String title, UUID requesterId, UUID submittedBy,
            InstanceView.State state, JsonNode form, List<Step> steps, Integer currentStep, List<Task> tasks,
            List<TimelineItem> timeline, List<UUID> ccIds, UUID resubmittedFrom, Instant submittedAt,
            Instant completedAt, long version) {
    }

    record Step(int index, String nodeId, String name, FlowNode.Kind kind, FlowNode.Mode mode) {
    }

    record Task(UUID id, int step, UUID approverId, String state, String origin, UUID addedBy, Instant createdAt,
            Instant activatedAt, Instant decidedAt, String comment) {
    }

    record TimelineItem(int position, Instant at, UUID actorId, String action, Integer step, UUID taskId,
            UUID targetId, String comment, List<UUID> mentions) {
    }

    record InstanceLine(UUID id, UUID templateId, String title, UUID requesterId, UUID submittedBy,
            InstanceView.State state, Integer currentStep, Instant submittedAt, Instant completedAt) {
    }

    record InstancePage(List<InstanceLine> items, String nextCursor) {
    }

    /**
     * 201 with the new request; a repeat of an earlier request with the same Idempotency-Key and
     * body answers 200 with that request and {@code Idempotency-Replayed: true}, so a client tells
     * a retry's answer from a new request.
     */
    @PostMapping
    ResponseEntity<Instance> submit(@AuthenticationPrincipal CurrentUser me,
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) String idempotencyKey,
            @Valid @RequestBody SubmitRequest request) {
        Approvals.Submitted submitted = approvals.submit(me, bodies.submit(request), idempotencyKey);
        Instance instance = bodies.instance(submitted.instance());
        if (submitted.replayed()) {
            return ResponseEntity.ok().header(Idempotency.REPLAYED_HEADER, "true").body(instance);
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/approvals/instances/" + instance.id())).body(instance);
    }

    /** {@code view}: submitted (by me or for me, the default), cc (CC'd to me), all (org_admins). */
    @GetMapping
    InstancePage list(@AuthenticationPrincipal CurrentUser me,
            @RequestParam(defaultValue = "submitted") String view,
            @RequestParam(required = false) UUID templateId, @RequestParam(required = false) String state,
            @RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
            @RequestParam(required = false) @Size(max = 500) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        InstanceQuery query = new InstanceQuery(QueryParameters.parse(InstanceQuery.View.class, "view", view),
                templateId, state == null ? null : QueryParameters.parse(InstanceView.State.class, "state", state),
                from, to, cursor, limit);
        return bodies.instances(approvals.instances(me, query));
    }

    @GetMapping("/{instanceId}")
    Instance get(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID instanceId) {
        return bodies.instance(approvals.get(me, instanceId));
    }

    @PostMapping("/{instanceId}/withdraw")
    Instance withdraw(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID instanceId) {
        return bodies.instance(approvals.withdraw(me, instanceId));
    }

    @PostMapping("/{instanceId}/comments")
    Instance comment(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID instanceId,
            @Valid @RequestBody CommentRequest request) {
        return bodies.instance(approvals.comment(me, instanceId, request.text(), request.mentions()));
    }

    /** The requester nudges the current approvers; too soon after the last reminder answers 429. */
    @PostMapping("/{instanceId}/remind")
    Instance remind(@AuthenticationPrincipal CurrentUser me, @PathVariable UUID instanceId) {
        return bodies.instance(approvals.remind(me, instanceId));
    }
}
