package io.chorus.approval.internal;

import io.chorus.platform.ScheduledJobs;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Node timeouts: a reminder after the node's {@code remindAfter}, an escalation to the approver's
 * manager after its {@code escalateAfter}. One node at a time looks for due timers. Should two
 * ever overlap (a run outlasting its lock), a timer still fires once, because firing it changes the
 * instance aggregate (optimistic locking) and a timer that already fired is no longer due when the
 * loser of a race runs again.
 */
@Configuration(proxyBeanMethods = false)
class ApprovalTimers implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ApprovalTimers.class);
    static final int BATCH = 200;

    static final String DUE = """
            SELECT id, instance_id FROM approval.task
            WHERE state = 'PENDING' AND reminded_at IS NULL AND remind_at <= :now
            UNION
            SELECT id, instance_id FROM approval.task
            WHERE state = 'PENDING' AND escalate_at <= :now
            LIMIT :batch
            """;

    private final JdbcClient jdbc;
    private final ApprovalInstances instances;
    private final Routing routing;
    private final IdempotencyKeys idempotencyKeys;
    private final ApprovalProperties properties;
    private final Clock clock;
    private final ScheduledJobs jobs;

    ApprovalTimers(JdbcClient jdbc, ApprovalInstances instances, Routing routing, IdempotencyKeys idempotencyKeys,
            ApprovalProperties properties, Clock clock, ScheduledJobs jobs) {
        this.jdbc = jdbc;
        this.instances = instances;
        this.routing = routing;
        this.idempotencyKeys = idempotencyKeys;
        this.properties = properties;
        this.clock = clock;
        this.jobs = jobs;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // A run fires at most BATCH timers, one short transaction each: well under a minute.
        jobs.onOneNode(tasks, "approval.timers", Duration.ZERO, properties.timerInterval(), Duration.ofMinutes(10),
                this::runQuietly);
    }

    private void runQuietly() {
        try {
            fireDue();
            idempotencyKeys.forgetExpired(clock.instant());
        } catch (RuntimeException retryLater) {
            log.warn("Approval timers failed; trying again in {}", properties.timerInterval(), retryLater);
        }
    }

    /** Fires every timer due now; returns how many fired. */
    int fireDue() {
        Instant now = clock.instant();
        record Due(UUID id, UUID instanceId) {
        }
        List<Due> due = jdbc.sql(DUE).param("now", Timestamp.from(now)).param("batch", BATCH).query(Due.class).list();
        int fired = 0;
        for (Due task : due) {
            boolean[] changed = {false};
            try {
                instances.system(task.instanceId(), instance -> {
                    changed[0] = instance.remindByTimer(task.id(), now)
                            | instance.escalateByTimer(task.id(), routing, now);
                });
            } catch (RuntimeException oneFailed) {
                // One request that keeps losing races must not hold up the others; it is due again next run.
                log.warn("Approval timer of task {} failed; trying again next run", task.id(), oneFailed);
            }
            fired += changed[0] ? 1 : 0;
        }
        return fired;
    }
}
