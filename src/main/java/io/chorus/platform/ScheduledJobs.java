package io.chorus.platform;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * How a module schedules a job when several nodes run: either on one node at a time, under a
 * lock row in {@code platform.shedlock} that the database's clock times, or on every node, for
 * work that is safe and meant to be shared out (say why at the call site). Every job goes through
 * here, so a test can tell that none runs on every node by accident.
 *
 * <p>A node that dies mid-run keeps its job locked until {@code lockAtMostFor} has passed; it
 * must exceed the job's worst run, or a second node starts while the first is still at it.
 */
@Component
public class ScheduledJobs {

    private static final Logger log = LoggerFactory.getLogger(ScheduledJobs.class);
    /**
     * A run that ends at once still holds its job this long (at most half an interval), so that
     * the other nodes, whose timers fire at nearby moments, skip instead of running it again.
     */
    private static final Duration LOCK_AT_LEAST_FOR = Duration.ofSeconds(30);

    private final LockingTaskExecutor locks;
    private final Clock clock;
    private final List<Job> registered = new CopyOnWriteArrayList<>();

    ScheduledJobs(DataSource dataSource, Clock clock) {
        this.locks = new DefaultLockingTaskExecutor(new JdbcTemplateLockProvider(
                JdbcTemplateLockProvider.Configuration.builder()
                        .withJdbcTemplate(new JdbcTemplate(dataSource))
                        .withTableName("platform.shedlock")
                        .usingDbTime()
                        .build()));
        this.clock = clock;
    }

    /** Whether a job runs on one node at a time or on each node. */
    public enum Nodes { ONE_AT_A_TIME, EVERY }

    /** A job handed to the scheduler: the test of "no job runs everywhere by accident" reads these. */
    record Job(String name, Nodes nodes, FixedDelayTask task) {
    }

    /**
     * Runs {@code job} every {@code interval} (after the previous run ends), first after
     * {@code initialDelay}, on one node at a time: a node whose timer fires while another holds
     * the job skips that run.
     */
    public void onOneNode(ScheduledTaskRegistrar tasks, String name, Duration initialDelay, Duration interval,
            Duration lockAtMostFor, Runnable job) {
        register(tasks, name, Nodes.ONE_AT_A_TIME, initialDelay, interval,
                locked(name, lockAtMostFor, lockAtLeastFor(interval), job));
    }

    /** Runs {@code job} every {@code interval} on every node, first after {@code initialDelay}. */
    public void onEveryNode(ScheduledTaskRegistrar tasks, String name, Duration initialDelay, Duration interval,
            Runnable job) {
        register(tasks, name, Nodes.EVERY, initialDelay, interval, job);
    }

    /**
     * {@code job} locked as {@link #onOneNode} does, for a job on a timer of its own (one that
     * must not share the application's scheduler thread).
     */
    public Runnable onOneNode(String name, Duration interval, Duration lockAtMostFor, Runnable job) {
        return locked(name, lockAtMostFor, lockAtLeastFor(interval), job);
    }

    List<Job> registered() {
        return List.copyOf(registered);
    }

    Runnable locked(String name, Duration lockAtMostFor, Duration lockAtLeastFor, Runnable job) {
        return () -> {
            try {
                locks.executeWithLock(job, new LockConfiguration(clock.instant(), name, lockAtMostFor, lockAtLeastFor));
            } catch (RuntimeException retryLater) {
                // Taking the lock failed (the database is away), or the job let an exception out:
                // either way the next run comes, and a scheduled task must not die of it.
                if (DatabaseUnavailable.isCause(retryLater)) {
                    // The outage itself is logged once (when it starts and ends), not by every job's every turn.
                    log.debug("Scheduled job {} waits for the database", name, retryLater);
                } else {
                    log.warn("Scheduled job {} did not complete; it runs again at its next turn", name, retryLater);
                }
            }
        };
    }

    private void register(ScheduledTaskRegistrar tasks, String name, Nodes nodes, Duration initialDelay,
            Duration interval, Runnable run) {
        FixedDelayTask task = new FixedDelayTask(run, interval, initialDelay);
        registered.add(new Job(name, nodes, task));
        tasks.addFixedDelayTask(task);
    }

    private static Duration lockAtLeastFor(Duration interval) {
        Duration half = interval.dividedBy(2);
        return half.compareTo(LOCK_AT_LEAST_FOR) < 0 ? half : LOCK_AT_LEAST_FOR;
    }
}
