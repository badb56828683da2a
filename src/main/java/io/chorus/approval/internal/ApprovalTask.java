package io.chorus.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** One approver's part in one step of an instance. Changed only through its {@link ApprovalInstance}. */
@Entity
@Table(schema = "approval", name = "task")
class ApprovalTask {

    enum State {
        /** Not this approver's turn yet (a sequential node, or an add-sign before them). */
        WAITING,
        PENDING, APPROVED, REJECTED,
        /** Handed to someone else (transfer, escalation, deactivation): the new task carries on. */
        TRANSFERRED,
        /** No longer needed: another approver decided an ANY node, the instance ended or went back. */
        CANCELLED;

        static final Set<State> LIVE = EnumSet.of(WAITING, PENDING);

        boolean live() {
            return LIVE.contains(this);
        }
    }

    /** How the task came to be. */
    enum Origin {
        /** The node's approver rule named this approver. */
        RESOLVED,
        /** The rule resolved to nobody usable; this approver is the fallback (an ancestor department's head, an org_admin). */
        FALLBACK,
        /** 去重: approved the previous node, so approved here automatically. */
        DEDUPED,
        TRANSFERRED, ESCALATED, REPLACED,
        ADDED_BEFORE, ADDED_AFTER
    }

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "instance_id")
    private ApprovalInstance instance;

    @Column(nullable = false)
    private int step;

    @Column(nullable = false)
    private int position;

    @Column(name = "approver_id", nullable = false)
    private UUID approverId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Origin origin;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private State state;

    @Column(name = "added_by")
    private UUID addedBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "activated_at")
    private Instant activatedAt;

    @Column(name = "decided_at")
    private Instant decidedAt;

    private String comment;

    @Column(name = "remind_at")
    private Instant remindAt;

    @Column(name = "reminded_at")
    private Instant remindedAt;

    @Column(name = "escalate_at")
    private Instant escalateAt;

    protected ApprovalTask() {
    }

    ApprovalTask(ApprovalInstance instance, int step, int position, UUID approverId, Origin origin, UUID addedBy,
            Instant now) {
        this.id = UUID.randomUUID();
        this.instance = instance;
        this.step = step;
        this.position = position;
        this.approverId = approverId;
        this.origin = origin;
        this.addedBy = addedBy;
        this.state = State.WAITING;
        this.createdAt = now;
    }

    UUID id() {
        return id;
    }

    int step() {
        return step;
    }

    int position() {
        return position;
    }

    void position(int position) {
        this.position = position;
    }

    UUID approverId() {
        return approverId;
    }

    Origin origin() {
        return origin;
    }

    State state() {
        return state;
    }

    UUID addedBy() {
        return addedBy;
    }

    void addedBy(UUID addedBy) {
        this.addedBy = addedBy;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant activatedAt() {
        return activatedAt;
    }

    Instant decidedAt() {
        return decidedAt;
    }

    String comment() {
        return comment;
    }

    Instant remindAt() {
        return remindAt;
    }

    Instant remindedAt() {
        return remindedAt;
    }

    Instant escalateAt() {
        return escalateAt;
    }

    boolean added() {
        return origin == Origin.ADDED_BEFORE || origin == Origin.ADDED_AFTER;
    }

    /** Makes it this approver's turn; the node's timeouts start now, once. */
    void activate(Instant now, java.time.Duration remindAfter, java.time.Duration escalateAfter) {
        state = State.PENDING;
        if (activatedAt == null) {
            activatedAt = now;
            remindAt = remindAfter == null ? null : now.plus(remindAfter);
            escalateAt = escalateAfter == null ? null : now.plus(escalateAfter);
        }
    }

    /** Not this approver's turn any more (someone was added before them): their timeouts start again when it is. */
    void suspend() {
        state = State.WAITING;
        activatedAt = null;
        remindAt = null;
        remindedAt = null;
        escalateAt = null;
    }

    void decide(State outcome, String comment, Instant now) {
        this.state = outcome;
        this.comment = comment;
        this.decidedAt = now;
    }

    void close(State outcome, Instant now) {
        this.state = outcome;
        this.decidedAt = now;
    }

    void reminded(Instant now) {
        this.remindedAt = now;
    }

    /** Escalated tasks keep their reminder but escalate no further: the chain would not end at the top. */
    void noFurtherEscalation() {
        this.escalateAt = null;
    }
}
