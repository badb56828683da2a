package io.chorus.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.platform.ScheduledJobs.Job;
import io.chorus.platform.ScheduledJobs.Nodes;
import io.chorus.support.ChorusIntegrationTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.scheduling.config.Task;

/**
 * Two nodes on one database run a locked job one at a time, and no job the application
 * schedules runs on every node unless it is listed here as meant to.
 */
@ChorusIntegrationTest
class ScheduledJobsTest {

    /** The jobs that run on every node, each for a reason given where it is scheduled. */
    private static final Set<String> ON_EVERY_NODE = Set.of("integration.webhook-delivery");
    /**
     * Spring Modulith's own: it turns publications PROCESSING for longer than
     * {@code spring.modulith.events.staleness.processing} into FAILED, one UPDATE that any number of
     * nodes may run at once (EventRedelivery, locked, then hands them over again).
     */
    private static final String STALENESS_MONITOR =
            "org.springframework.modulith.events.config.StalenessMonitorConfiguration";

    @Autowired
    DataSource dataSource;

    @Autowired
    Clock clock;

    @Autowired
    ScheduledJobs jobs;

    @Autowired
    List<ScheduledTaskHolder> schedulers;

    @Test
    void twoNodesFiringTheSameJobAtOnceRunItOnceAndAgainOnlyAfterItsLockAtLeastFor() throws Exception {
        ScheduledJobs nodeA = new ScheduledJobs(dataSource, clock);
        ScheduledJobs nodeB = new ScheduledJobs(dataSource, clock);
        String name = "test." + UUID.randomUUID();
        Duration lockAtLeastFor = Duration.ofSeconds(5);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Runnable body = () -> {
            runs.incrementAndGet();
            holding.countDown();
            try {
                finish.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        };
        Runnable onA = nodeA.locked(name, Duration.ofMinutes(1), lockAtLeastFor, body);
        Runnable onB = nodeB.locked(name, Duration.ofMinutes(1), lockAtLeastFor, body);

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = threads.submit(() -> fireAt(go, onA));
            Future<?> b = threads.submit(() -> fireAt(go, onB));
            go.countDown();

            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            Instant firstRun = Instant.now();
            // The node that lost returns without running the body while the winner still holds it.
            await().atMost(Duration.ofSeconds(30)).until(() -> a.isDone() || b.isDone());
            assertThat(a.isDone() && b.isDone()).isFalse();
            assertThat(runs).hasValue(1);

            finish.countDown();
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
            assertThat(runs).hasValue(1);

            // Finished at once, the job stays locked for lockAtLeastFor: a node firing now skips it ...
            onB.run();
            assertThat(runs).hasValue(1);
            assertThat(Duration.between(firstRun, Instant.now())).isLessThan(lockAtLeastFor);

            // ... and the next turn after that runs it again, on either node.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                onB.run();
                return runs.get() == 2;
            });
            assertThat(Duration.between(firstRun, Instant.now())).isGreaterThanOrEqualTo(lockAtLeastFor.minusMillis(500));
        } finally {
            finish.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void everyScheduledJobRunsOnOneNodeAtATimeUnlessItIsListedAsRunningOnEveryNode() {
        Map<Task, Job> registered = jobs.registered().stream()
                .collect(Collectors.toMap(Job::task, Function.identity()));
        List<Task> scheduled = schedulers.stream().flatMap(holder -> holder.getScheduledTasks().stream())
                .map(ScheduledTask::getTask).toList();

        // Scheduled some other way (addFixedDelayTask, @Scheduled), a job would run on every node unnoticed.
        assertThat(scheduled).isNotEmpty().allSatisfy(task -> {
            if (!task.toString().startsWith(STALENESS_MONITOR)) {
                assertThat(registered).as("scheduled outside ScheduledJobs: %s", task).containsKey(task);
            }
        });
        Set<String> everyNode = registered.values().stream().filter(job -> job.nodes() == Nodes.EVERY)
                .map(Job::name).collect(Collectors.toSet());
        assertThat(everyNode).isSubsetOf(ON_EVERY_NODE);
        Set<String> oneNode = registered.values().stream().filter(job -> job.nodes() == Nodes.ONE_AT_A_TIME)
                .map(Job::name).collect(Collectors.toSet());
        assertThat(oneNode).contains("platform.event-redelivery", "platform.completed-publication-cleanup",
                "platform.idempotency-key-cleanup", "audit.checkpoint", "audit.refusal-windows", "approval.timers",
                "integration.seen-delivery-cleanup", "integration.rate-limit-cleanup", "integration.delivery-purge");
    }

    private static void fireAt(CountDownLatch go, Runnable job) {
        try {
            go.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
        }
        job.run();
    }
}
