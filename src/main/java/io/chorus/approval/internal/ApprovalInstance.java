package io.chorus.approval.internal;

import io.chorus.approval.ApprovalEvents;
import io.chorus.approval.ApprovalEvents.Handover;
import io.chorus.approval.ApprovalEvents.Outcome;
import io.chorus.approval.ApprovalProblems;
import io.chorus.approval.FlowNode;
import io.chorus.approval.internal.ApprovalTask.Origin;
import io.chorus.identity.UserId;
import io.chorus.platform.ChorusProblem;
import jakarta.persistence.CascadeType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.springframework.data.domain.AbstractAggregateRoot;

/**
 * One request and everything that happened to it: the aggregate every command goes through.
 * Each command changes the instance row (its {@code updatedAt}), so {@code @Version} turns two
 * commands racing on one instance into one winner and one optimistic-locking failure; the loser
 * is retried on the winner's state and refused if it no longer makes sense. That is how an ANY
 * node gets exactly one decision, and a decision racing a withdrawal exactly one outcome.
 */
@Entity
@Table(schema = "approval", name = "instance")
class ApprovalInstance extends AbstractAggregateRoot<ApprovalInstance> {

    enum State {
        PENDING, APPROVED, REJECTED, WITHDRAWN
    }

    @Id
    private UUID id;

    @Column(name = "template_id", nullable = false)
    private UUID templateId;

    @Column(name = "template_version", nullable = false)
    private int templateVersion;

    @Column(nullable = false)
    private String title;

    @Column(name = "requester_id", nullable = false)
    private UUID requesterId;

    @Column(name = "submitted_by", nullable = false)
    private UUID submittedBy;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String form;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String route;

    @Column(name = "chosen_approvers", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String chosenApprovers;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;

    @Column(name = "current_step")
    private Integer currentStep;

    @Column(name = "resubmitted_from")
    private UUID resubmittedFrom;

    @Column(name = "submitted_at", nullable = false)
    private Instant submittedAt;

    @Column(name = "completed_at")
    private Instant completedAt;

    @Column(name = "last_reminded_at")
    private Instant lastRemindedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** Null until first stored: Spring Data then persists (not merges) a new instance. */
    @Version
    private Long version;

    @OneToMany(mappedBy = "instance", cascade = CascadeType.ALL)
    @OrderBy("step, position")
    private List<ApprovalTask> tasks = new ArrayList<>();

    @OneToMany(mappedBy = "instance", cascade = CascadeType.ALL)
    @OrderBy("position")
    private List<TimelineEntry> timeline = new ArrayList<>();

    @ElementCollection
    @CollectionTable(schema = "approval", name = "participant", joinColumns = @JoinColumn(name = "instance_id"))
    private Set<Participant> participants = new HashSet<>();

    /** The route and settings, parsed from {@link #route} by whoever loaded the instance. */
    @Transient
    private Plan plan;

    protected ApprovalInstance() {
    }

    /** What a new instance is made of; everything in it has been validated. */
    record Draft(UUID templateId, int templateVersion, String title, UUID requesterId, UUID submittedBy, String form,
            String route, String chosenApprovers, UUID resubmittedFrom) {
    }

    /**
     * A new request: recorded, its submit-time CC recipients told, and its first approval node
     * reached. A first node that finds nobody at all refuses the submit (nothing is stored).
     */
    static ApprovalInstance submit(Draft draft, Plan plan, Routing routing, Instant now) {
        ApprovalInstance instance = new ApprovalInstance();
        instance.id = UUID.randomUUID();
        instance.templateId = draft.templateId();
        instance.templateVersion = draft.templateVersion();
        instance.title = draft.title();
        instance.requesterId = draft.requesterId();
        instance.submittedBy = draft.submittedBy();
        instance.form = draft.form();
        instance.route = draft.route();
        instance.chosenApprovers = draft.chosenApprovers();
        instance.resubmittedFrom = draft.resubmittedFrom();
        instance.state = State.PENDING;
        instance.submittedAt = now;
        instance.updatedAt = now;
        instance.plan = plan;
        instance.record(now, draft.submittedBy(), draft.submittedBy().equals(draft.requesterId()) ? "SUBMITTED"
                : "SUBMITTED_ON_BEHALF", null, null, draft.requesterId(), null, List.of());
        instance.registerEvent(new ApprovalEvents.ApprovalSubmitted(instance.id, draft.templateId(),
                draft.templateVersion(), draft.title(), UserId.of(draft.requesterId()), UserId.of(draft.submittedBy()),
                draft.resubmittedFrom(), now));
        instance.notifyCc(routing, false, now);
        instance.advanceFrom(0, routing, now, true);
        return instance;
    }

    void attach(Plan plan) {
        this.plan = plan;
    }

    // ----- commands -------------------------------------------------------------------------

    void approve(UUID actor, UUID taskId, String comment, Routing routing, Instant now) {
        ApprovalTask task = pendingTaskOf(actor, taskId);
        touch(now);
        record(now, actor, "APPROVED", task.step(), task.id(), null, comment, List.of());
        approveTask(task, comment, now);
        settle(task.step(), routing, now);
    }

    private void approveTask(ApprovalTask task, String comment, Instant now) {
        task.decide(ApprovalTask.State.APPROVED, comment, now);
        registerEvent(new ApprovalEvents.ApprovalDecided(id, task.id(), task.step(), UserId.of(task.approverId()),
                Outcome.APPROVED, comment, false, now));
        if (mode(task.step()) == FlowNode.Mode.ANY && !task.added()) {
            // 或签: this decision is the node's; the other approvers' tasks are no longer needed.
            stepTasks(task.step()).stream().filter(other -> other.state().live() && !other.added())
                    .forEach(other -> other.close(ApprovalTask.State.CANCELLED, now));
            cancelOrphanedAdditions(task.step(), now);
        }
    }

    void reject(UUID actor, UUID taskId, String reason, Routing routing, Instant now) {
        ApprovalTask task = pendingTaskOf(actor, taskId);
        touch(now);
        task.decide(ApprovalTask.State.REJECTED, reason, now);
        record(now, actor, "REJECTED", task.step(), task.id(), null, reason, List.of());
        registerEvent(new ApprovalEvents.ApprovalDecided(id, task.id(), task.step(), UserId.of(actor),
                Outcome.REJECTED, reason, false, now));
        complete(Outcome.REJECTED, routing, now);
    }

    void withdraw(UUID actor, Instant now) {
        if (!actor.equals(requesterId) && !actor.equals(submittedBy)) {
            throw ChorusProblem.forbidden(ApprovalProblems.NOT_REQUESTER, "Only the requester may withdraw a request.");
        }
        requirePending();
        touch(now);
        closeLiveTasks(now);
        state = State.WITHDRAWN;
        completedAt = now;
        currentStep = null;
        record(now, actor, "WITHDRAWN", null, null, null, null, List.of());
        registerEvent(new ApprovalEvents.ApprovalWithdrawn(id, UserId.of(actor), now));
    }

    void transfer(UUID actor, UUID taskId, UUID to, String comment, Instant now) {
        ApprovalTask task = pendingTaskOf(actor, taskId);
        requireNewApprover(task.step(), to);
        touch(now);
        handOver(task, to, Origin.TRANSFERRED, Handover.TRANSFER, actor, comment, now);
    }

    /** 加签: {@code added} approves before the actor (who waits), or after (the actor approves now). */
    void addSign(UUID actor, UUID taskId, UUID added, boolean before, String comment, Routing routing, Instant now) {
        ApprovalTask task = pendingTaskOf(actor, taskId);
        requireNewApprover(task.step(), added);
        touch(now);
        ApprovalTask extra = new ApprovalTask(this, task.step(), 0, added,
                before ? Origin.ADDED_BEFORE : Origin.ADDED_AFTER, task.id(), now);
        insertNextTo(task, extra, before);
        record(now, actor, before ? "SIGN_ADDED_BEFORE" : "SIGN_ADDED_AFTER", task.step(), extra.id(), added,
                comment, List.of());
        registerEvent(new ApprovalEvents.ApprovalSignAdded(id, task.id(), extra.id(), UserId.of(actor),
                UserId.of(added), before, comment, now));
        if (!before) {
            approveTask(task, comment, now);
        }
        settle(task.step(), routing, now);
    }

    /** 退回: back to an earlier approval step, whose approvers are resolved again. */
    void returnTo(UUID actor, UUID taskId, int toStep, String comment, Routing routing, Instant now) {
        ApprovalTask task = pendingTaskOf(actor, taskId);
        if (toStep < 0 || toStep >= task.step() || plan.step(toStep).kind() != FlowNode.Kind.APPROVAL) {
            throw ChorusProblem.unprocessable(ApprovalProblems.INVALID_RETURN,
                    "A request can only go back to an earlier approval step.");
        }
        touch(now);
        int from = task.step();
        closeLiveTasks(now);
        record(now, actor, "RETURNED", toStep, task.id(), null, comment, List.of());
        registerEvent(new ApprovalEvents.ApprovalReturned(id, from, toStep, UserId.of(actor), comment, now));
        advanceFrom(toStep, routing, now, false);
    }

    void comment(UUID actor, String text, List<UUID> mentions, Instant now) {
        touch(now);
        mentions.forEach(user -> participants.add(new Participant(user, Participant.Role.MENTIONED)));
        record(now, actor, "COMMENTED", null, null, null, text, mentions);
        registerEvent(new ApprovalEvents.ApprovalCommented(id, UserId.of(actor), text,
                mentions.stream().map(UserId::of).toList(), now));
    }

    /** The requester nudges the current approvers; at most once per {@code interval}. */
    void remind(UUID actor, Duration interval, Instant now) {
        if (!actor.equals(requesterId) && !actor.equals(submittedBy)) {
            throw ChorusProblem.forbidden(ApprovalProblems.NOT_REQUESTER, "Only the requester may send reminders.");
        }
        requirePending();
        if (lastRemindedAt != null && lastRemindedAt.plus(interval).isAfter(now)) {
            long wait = Math.max(1, Duration.between(now, lastRemindedAt.plus(interval)).toSeconds());
            throw ChorusProblem.tooManyRequests("The approvers were reminded recently; try again in " + wait
                    + " seconds.", wait);
        }
        touch(now);
        lastRemindedAt = now;
        List<UUID> approvers = pendingApprovers();
        record(now, actor, "REMINDED", currentStep, null, null, null, List.of());
        registerEvent(new ApprovalEvents.ApprovalReminded(id, approvers.stream().map(UserId::of).toList(),
                UserId.of(actor), now));
    }

    /** The node's reminder timeout ran out for this task; does nothing if it already fired or no longer applies. */
    boolean remindByTimer(UUID taskId, Instant now) {
        Optional<ApprovalTask> due = task(taskId).filter(task -> task.state() == ApprovalTask.State.PENDING
                && task.remindedAt() == null && task.remindAt() != null && !task.remindAt().isAfter(now));
        if (due.isEmpty() || state != State.PENDING) {
            return false;
        }
        touch(now);
        due.get().reminded(now);
        record(now, null, "REMINDED_BY_TIMER", due.get().step(), taskId, due.get().approverId(), null, List.of());
        registerEvent(new ApprovalEvents.ApprovalReminded(id, List.of(UserId.of(due.get().approverId())), null, now));
        return true;
    }

    /** The node's escalation timeout ran out: the approver's manager takes the task over. */
    boolean escalateByTimer(UUID taskId, Routing routing, Instant now) {
        Optional<ApprovalTask> due = task(taskId).filter(task -> task.state() == ApprovalTask.State.PENDING
                && task.escalateAt() != null && !task.escalateAt().isAfter(now));
        if (due.isEmpty() || state != State.PENDING) {
            return false;
        }
        ApprovalTask task = due.get();
        Optional<UUID> successor = routing.successor(this, task.approverId(), liveApprovers(task.step()));
        touch(now);
        if (successor.isEmpty()) {
            task.noFurtherEscalation();
            record(now, null, "ESCALATION_FOUND_NOBODY", task.step(), task.id(), task.approverId(), null, List.of());
            return true;
        }
        ApprovalTask next = handOver(task, successor.get(), Origin.ESCALATED, Handover.ESCALATION, null, null, now);
        next.noFurtherEscalation();
        return true;
    }

    /** The approver's account was deactivated: each of their live tasks goes to their successor. */
    void replaceDeactivated(UUID approver, Routing routing, Instant now) {
        List<ApprovalTask> theirs = tasks.stream()
                .filter(task -> task.approverId().equals(approver) && task.state().live()).toList();
        for (ApprovalTask task : theirs) {
            Optional<UUID> successor = routing.successor(this, approver, liveApprovers(task.step()));
            touch(now);
            if (successor.isPresent()) {
                handOver(task, successor.get(), Origin.REPLACED, Handover.DEACTIVATION, null, null, now);
            } else {
                record(now, null, "REPLACEMENT_FOUND_NOBODY", task.step(), task.id(), approver, null, List.of());
            }
        }
    }

    // ----- the engine ---------------------------------------------------------------------------

    /**
     * Reaches the first approval node at or after {@code index} that needs somebody's decision,
     * passing nodes that complete at once (requester skipped, 去重); past the last node the
     * request is approved.
     */
    private void advanceFrom(int index, Routing routing, Instant now, boolean submitting) {
        for (int step = index; step < plan.steps().size(); step++) {
            FlowNode node = plan.step(step);
            if (node.kind() != FlowNode.Kind.APPROVAL) {
                continue;
            }
            currentStep = step;
            Routing.Resolution resolution = routing.resolve(this, node);
            if (resolution.requesterSkipped()) {
                record(now, null, "REQUESTER_SKIPPED", step, null, requesterId, null, List.of());
            }
            if (resolution.approvers().isEmpty()) {
                if (resolution.requesterSkipped()) {
                    continue;
                }
                if (submitting) {
                    throw ChorusProblem.unprocessable(ApprovalProblems.NO_APPROVER, "Step '" + node.name()
                            + "' has no approver: nobody in the org chart, no org_admin, no template owner can decide it.");
                }
                record(now, null, "NO_APPROVER", step, null, null, null, List.of());
                return;
            }
            createTasks(step, resolution, now);
            settle(step, routing, now, submitting);
            return;
        }
        complete(Outcome.APPROVED, routing, now);
    }

    private void createTasks(int step, Routing.Resolution resolution, Instant now) {
        Set<UUID> approvedBefore = settings().dedupeConsecutive() ? approvedInPreviousApprovalStep(step) : Set.of();
        List<ApprovalTask> created = new ArrayList<>();
        int position = 0;
        for (Routing.Resolved approver : resolution.approvers()) {
            boolean deduped = approvedBefore.contains(approver.userId());
            ApprovalTask task = new ApprovalTask(this, step, position++, approver.userId(),
                    deduped ? Origin.DEDUPED : approver.origin(), null, now);
            tasks.add(task);
            created.add(task);
            registerEvent(new ApprovalEvents.ApprovalTaskAssigned(id, task.id(), step, UserId.of(approver.userId()),
                    task.origin().name(), now));
            if (deduped) {
                task.decide(ApprovalTask.State.APPROVED, null, now);
                record(now, null, "AUTO_APPROVED", step, task.id(), approver.userId(), null, List.of());
                registerEvent(new ApprovalEvents.ApprovalDecided(id, task.id(), step, UserId.of(approver.userId()),
                        Outcome.APPROVED, null, true, now));
            }
        }
        // 或签 decided by an automatic approval: the others of this pass are not needed. (Tasks of an
        // earlier pass through this step, before a return, do not count.)
        if (mode(step) == FlowNode.Mode.ANY
                && created.stream().anyMatch(task -> task.state() == ApprovalTask.State.APPROVED)) {
            created.stream().filter(task -> task.state().live())
                    .forEach(task -> task.close(ApprovalTask.State.CANCELLED, now));
        }
    }

    /**
     * Brings the step's live tasks into the state its mode asks for and moves on when none is
     * left.
     */
    private void settle(int step, Routing routing, Instant now) {
        settle(step, routing, now, false);
    }

    private void settle(int step, Routing routing, Instant now, boolean submitting) {
        FlowNode node = plan.step(step);
        List<ApprovalTask> live = stepTasks(step).stream().filter(task -> task.state().live()).toList();
        if (live.isEmpty()) {
            advanceFrom(step + 1, routing, now, submitting);
            return;
        }
        if (node.mode() == FlowNode.Mode.SEQUENTIAL) {
            for (int i = 0; i < live.size(); i++) {
                if (i == 0) {
                    activate(live.get(i), node, now);
                } else {
                    live.get(i).suspend();
                }
            }
        } else {
            for (ApprovalTask task : live) {
                boolean waitsForAddition = live.stream().anyMatch(other ->
                        other.origin() == Origin.ADDED_BEFORE && task.id().equals(other.addedBy()));
                if (waitsForAddition) {
                    task.suspend();
                } else {
                    activate(task, node, now);
                }
            }
        }
    }

    private void activate(ApprovalTask task, FlowNode node, Instant now) {
        task.activate(now, node.remindAfter(), task.origin() == Origin.ESCALATED ? null : node.escalateAfter());
    }

    private void complete(Outcome outcome, Routing routing, Instant now) {
        closeLiveTasks(now);
        state = outcome == Outcome.APPROVED ? State.APPROVED : State.REJECTED;
        completedAt = now;
        currentStep = null;
        record(now, null, outcome == Outcome.APPROVED ? "COMPLETED_APPROVED" : "COMPLETED_REJECTED", null, null, null,
                null, List.of());
        registerEvent(new ApprovalEvents.ApprovalCompleted(id, templateId, UserId.of(requesterId), outcome, now));
        notifyCc(routing, true, now);
    }

    /** Tells the recipients of every CC node on the route whose moment has come. */
    private void notifyCc(Routing routing, boolean atCompletion, Instant now) {
        Set<UUID> recipients = new LinkedHashSet<>();
        for (FlowNode node : plan.steps()) {
            if (node.kind() == FlowNode.Kind.CC
                    && (atCompletion ? node.notifyOn().onCompletion() : node.notifyOn().onSubmit())) {
                routing.resolve(this, node).approvers().forEach(resolved -> recipients.add(resolved.userId()));
            }
        }
        recipients.remove(requesterId);
        if (recipients.isEmpty()) {
            return;
        }
        recipients.forEach(user -> participants.add(new Participant(user, Participant.Role.CC)));
        record(now, null, atCompletion ? "CC_ON_COMPLETION" : "CC_ON_SUBMIT", null, null, null, null,
                List.copyOf(recipients));
        registerEvent(new ApprovalEvents.ApprovalCcNotified(id, recipients.stream().map(UserId::of).toList(),
                atCompletion, now));
    }

    private ApprovalTask handOver(ApprovalTask task, UUID to, Origin origin, Handover reason, UUID actor,
            String comment, Instant now) {
        // An added task handed on stays an addition (before or after its adder); the reason is in the timeline.
        ApprovalTask next = new ApprovalTask(this, task.step(), task.position(), to,
                task.added() ? task.origin() : origin, task.addedBy(), now);
        ApprovalTask.State was = task.state();
        task.close(ApprovalTask.State.TRANSFERRED, now);
        tasks.stream().filter(other -> task.id().equals(other.addedBy()) && other.state().live())
                .forEach(other -> other.addedBy(next.id()));
        tasks.add(next);
        if (was == ApprovalTask.State.PENDING) {
            activate(next, plan.step(task.step()), now);
        }
        record(now, actor, reason.name(), task.step(), next.id(), to, comment, List.of());
        registerEvent(new ApprovalEvents.ApprovalTaskHandedOver(id, task.id(), next.id(), UserId.of(task.approverId()),
                UserId.of(to), reason, actor == null ? null : UserId.of(actor), comment, now));
        registerEvent(new ApprovalEvents.ApprovalTaskAssigned(id, next.id(), next.step(), UserId.of(to),
                origin.name(), now));
        return next;
    }

    private void insertNextTo(ApprovalTask anchor, ApprovalTask extra, boolean before) {
        List<ApprovalTask> ordered = new ArrayList<>(stepTasks(anchor.step()));
        int at = ordered.indexOf(anchor) + (before ? 0 : 1);
        ordered.add(at, extra);
        for (int i = 0; i < ordered.size(); i++) {
            ordered.get(i).position(i);
        }
        tasks.add(extra);
        registerEvent(new ApprovalEvents.ApprovalTaskAssigned(id, extra.id(), extra.step(),
                UserId.of(extra.approverId()), extra.origin().name(), extra.createdAt()));
    }

    /** An ANY node decided by an original approver: additions made by cancelled approvers go too. */
    private void cancelOrphanedAdditions(int step, Instant now) {
        for (ApprovalTask task : stepTasks(step)) {
            if (task.added() && task.state().live() && task.origin() == Origin.ADDED_BEFORE) {
                task(task.addedBy()).filter(adder -> adder.state() == ApprovalTask.State.CANCELLED)
                        .ifPresent(adder -> task.close(ApprovalTask.State.CANCELLED, now));
            }
        }
    }

    private void closeLiveTasks(Instant now) {
        tasks.stream().filter(task -> task.state().live())
                .forEach(task -> task.close(ApprovalTask.State.CANCELLED, now));
    }

    /**
     * Who approved the previous approval step in its latest pass: after a return, the approvals
     * of the pass before do not count.
     */
    private Set<UUID> approvedInPreviousApprovalStep(int step) {
        for (int previous = step - 1; previous >= 0; previous--) {
            if (plan.step(previous).kind() == FlowNode.Kind.APPROVAL) {
                int index = previous;
                Instant passStart = tasks.stream().filter(task -> task.step() == index && PASS_ORIGINS.contains(
                        task.origin())).map(ApprovalTask::createdAt).max(Comparator.naturalOrder()).orElse(Instant.MIN);
                Set<UUID> approved = new HashSet<>();
                tasks.stream().filter(task -> task.step() == index && task.state() == ApprovalTask.State.APPROVED
                        && !task.createdAt().isBefore(passStart)).forEach(task -> approved.add(task.approverId()));
                return approved;
            }
        }
        return Set.of();
    }

    /**
     * Origins only a step's pass starts with, as opposed to tasks added or handed over later
     * (REPLACED is both, so it does not mark a pass).
     */
    private static final Set<Origin> PASS_ORIGINS = java.util.EnumSet.of(Origin.RESOLVED, Origin.FALLBACK,
            Origin.DEDUPED);

    // ----- checks and small helpers --------------------------------------------------------------

    private ApprovalTask pendingTaskOf(UUID actor, UUID taskId) {
        ApprovalTask task = task(taskId).orElseThrow(ApprovalInstance::taskNotFound);
        if (!task.approverId().equals(actor)) {
            throw ChorusProblem.forbidden(ApprovalProblems.NOT_YOUR_TASK, "This task belongs to another approver.");
        }
        requirePending();
        if (task.state() != ApprovalTask.State.PENDING) {
            throw ChorusProblem.conflict(ApprovalProblems.TASK_NOT_PENDING, "This task is " + task.state()
                    .name().toLowerCase() + ": it is not waiting for your decision.");
        }
        return task;
    }

    private void requirePending() {
        if (state != State.PENDING) {
            throw ChorusProblem.conflict(ApprovalProblems.INSTANCE_NOT_PENDING,
                    "This request is " + state.name().toLowerCase() + ".");
        }
    }

    private void requireNewApprover(int step, UUID user) {
        if (user.equals(requesterId)) {
            throw ChorusProblem.unprocessable(ApprovalProblems.INVALID_APPROVER,
                    "The requester cannot approve their own request.");
        }
        if (liveApprovers(step).contains(user)) {
            throw ChorusProblem.unprocessable(ApprovalProblems.INVALID_APPROVER,
                    "This person already has a task in this step.");
        }
    }

    static ChorusProblem taskNotFound() {
        return ChorusProblem.notFound(ApprovalProblems.TASK_NOT_FOUND, "No such approval task.");
    }

    private Set<UUID> liveApprovers(int step) {
        Set<UUID> live = new HashSet<>();
        stepTasks(step).stream().filter(task -> task.state().live()).forEach(task -> live.add(task.approverId()));
        return live;
    }

    private List<ApprovalTask> stepTasks(int step) {
        return tasks.stream().filter(task -> task.step() == step)
                .sorted(Comparator.comparingInt(ApprovalTask::position)).toList();
    }

    private FlowNode.Mode mode(int step) {
        return Objects.requireNonNullElse(plan.step(step).mode(), FlowNode.Mode.SEQUENTIAL);
    }

    private void touch(Instant now) {
        updatedAt = now;
    }

    private void record(Instant now, UUID actor, String action, Integer step, UUID taskId, UUID target,
            String comment, List<UUID> mentions) {
        timeline.add(new TimelineEntry(this, timeline.size(), now, actor, action, step, taskId, target, comment,
                mentions));
        if (ROUTING_NOTES.contains(action)) {
            registerEvent(new ApprovalEvents.ApprovalRoutingNoted(id, step, action,
                    target == null ? null : UserId.of(target), now));
        }
    }

    /** Timeline entries of the engine's own that no other event tells the audit trail about. */
    private static final Set<String> ROUTING_NOTES = Set.of("REQUESTER_SKIPPED", "NO_APPROVER",
            "ESCALATION_FOUND_NOBODY", "REPLACEMENT_FOUND_NOBODY");

    Optional<ApprovalTask> task(UUID taskId) {
        return tasks.stream().filter(task -> task.id().equals(taskId)).findFirst();
    }

    List<UUID> pendingApprovers() {
        return tasks.stream().filter(task -> task.state() == ApprovalTask.State.PENDING)
                .map(ApprovalTask::approverId).distinct().toList();
    }

    /** Whether {@code user} is responsible for the request: its requester, submitter or one of its approvers. */
    boolean requesterOrApprover(UUID user) {
        return user.equals(requesterId) || user.equals(submittedBy)
                || tasks.stream().anyMatch(task -> task.approverId().equals(user));
    }

    /** Whether {@code user} takes part: requester, submitter, approver (past, current or next), CC'd or mentioned. */
    boolean involves(UUID user) {
        return user.equals(requesterId) || user.equals(submittedBy)
                || tasks.stream().anyMatch(task -> task.approverId().equals(user))
                || participants.stream().anyMatch(participant -> participant.userId().equals(user));
    }

    private io.chorus.approval.TemplateSettings settings() {
        return plan.settings();
    }

    UUID id() {
        return id;
    }

    UUID templateId() {
        return templateId;
    }

    int templateVersion() {
        return templateVersion;
    }

    String title() {
        return title;
    }

    UUID requesterId() {
        return requesterId;
    }

    UUID submittedBy() {
        return submittedBy;
    }

    String form() {
        return form;
    }

    String route() {
        return route;
    }

    String chosenApprovers() {
        return chosenApprovers;
    }

    State state() {
        return state;
    }

    Integer currentStep() {
        return currentStep;
    }

    UUID resubmittedFrom() {
        return resubmittedFrom;
    }

    Instant submittedAt() {
        return submittedAt;
    }

    Instant completedAt() {
        return completedAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    long version() {
        return version == null ? 0 : version;
    }

    Plan plan() {
        return plan;
    }

    List<ApprovalTask> tasks() {
        return List.copyOf(tasks);
    }

    List<TimelineEntry> timeline() {
        return List.copyOf(timeline);
    }

    Set<Participant> participants() {
        return Set.copyOf(participants);
    }
}
