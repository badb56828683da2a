package io.chorus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.support.ChorusIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.AsyncConfigurer;

/**
 * The registry keeps what is still to do and the last hour's completed publications, nothing
 * older; and module listeners run on the application's own executor.
 */
@ChorusIntegrationTest
class EventRegistryUpkeepTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CompletedPublicationCleanup cleanup;

    @Autowired
    AsyncConfigurer async;

    @Test
    void completedPublicationsOlderThanTheRetentionAreDeletedAndNothingElse() {
        Instant now = Instant.now();
        UUID old = publication(now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(2)));
        UUID recent = publication(now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofMinutes(5)));
        UUID oldButOpen = publication(now.minus(Duration.ofHours(3)), null);

        cleanup.deleteExpired();

        List<UUID> left = jdbc.sql("SELECT id FROM event_publication WHERE id IN (:ids)")
                .param("ids", List.of(old, recent, oldButOpen)).query(UUID.class).list();
        assertThat(left).containsExactlyInAnyOrder(recent, oldButOpen);
        // No listener exists for these: they must not linger for the redelivery task.
        jdbc.sql("DELETE FROM event_publication WHERE id IN (:ids)").param("ids", left).update();
    }

    @Test
    void asyncListenersRunOnBoundedVirtualThreadsNotANewPlatformThreadEach() {
        var executor = (SimpleAsyncTaskExecutor) async.getAsyncExecutor();
        assertThat(executor.isThrottleActive()).isTrue();
        assertThat(executor.getConcurrencyLimit()).isEqualTo(ModuleEventExecutor.CONCURRENCY);
        AtomicReference<Thread> ran = new AtomicReference<>();
        executor.execute(() -> ran.set(Thread.currentThread()));
        Thread thread = await().atMost(Duration.ofSeconds(5)).until(ran::get, Objects::nonNull);
        assertThat(thread.isVirtual()).isTrue();
        assertThat(thread.getName()).startsWith("chorus-event-");
    }

    private UUID publication(Instant published, Instant completed) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date,
                                               completion_date, status, completion_attempts)
                VALUES (:id, 'test.Listener.on(java.lang.String)', 'java.lang.String', :event, :published, :completed,
                        :status, 1)
                """)
                .param("id", id).param("event", "\"upkeep " + id + "\"").param("published", Timestamp.from(published))
                .param("completed", completed == null ? null : Timestamp.from(completed))
                .param("status", completed == null ? "PROCESSING" : "COMPLETED").update();
        return id;
    }
}
