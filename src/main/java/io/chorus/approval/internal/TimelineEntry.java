package io.chorus.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One line of an instance's history: who did what, when, to which task, with which words. Never changed. */
@Entity
@Table(schema = "approval", name = "timeline_entry")
class TimelineEntry {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "instance_id")
    private ApprovalInstance instance;

    @Column(nullable = false)
    private int position;

    @Column(nullable = false)
    private Instant at;

    @Column(name = "actor_id")
    private UUID actorId;

    @Column(nullable = false)
    private String action;

    private Integer step;

    @Column(name = "task_id")
    private UUID taskId;

    @Column(name = "target_id")
    private UUID targetId;

    private String comment;

    @Column(nullable = false, columnDefinition = "uuid[]")
    private UUID[] mentions;

    protected TimelineEntry() {
    }

    TimelineEntry(ApprovalInstance instance, int position, Instant at, UUID actorId, String action, Integer step,
            UUID taskId, UUID targetId, String comment, List<UUID> mentions) {
        this.id = UUID.randomUUID();
        this.instance = instance;
        this.position = position;
        this.at = at;
        this.actorId = actorId;
        this.action = action;
        this.step = step;
        this.taskId = taskId;
        this.targetId = targetId;
        this.comment = comment;
        this.mentions = mentions.toArray(UUID[]::new);
    }

    int position() {
        return position;
    }

    Instant at() {
        return at;
    }

    UUID actorId() {
        return actorId;
    }

    String action() {
        return action;
    }

    Integer step() {
        return step;
    }

    UUID taskId() {
        return taskId;
    }

    UUID targetId() {
        return targetId;
    }

    String comment() {
        return comment;
    }

    List<UUID> mentions() {
        return List.of(mentions);
    }
}
