package io.chorus.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.chorus.chat.ChatEvents;
import io.chorus.identity.UserId;
import io.chorus.support.ChorusIntegrationTest;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Edge events (session opened and closed, refused requests) are raised where no transaction
 * runs, often in bursts: a reconnect storm closes thousands of sessions at once. Raising one
 * never waits for the database, and every one is recorded once the database can take them.
 */
@ChorusIntegrationTest
class EdgeEventsTest {

    @Autowired
    EdgeEvents edgeEvents;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aBurstWhileEveryConnectionIsTakenIsRaisedAtOnceAndRecordedOnceTheyAreFree() throws Exception {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        String prefix = "storm-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        int sessions = 2_000;
        List<Connection> taken = new ArrayList<>();
        AtomicBoolean raised = new AtomicBoolean();
        try {
            while (taken.size() < pool.getMaximumPoolSize()) {
                taken.add(pool.getConnection());
            }
            Thread storm = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < sessions; i++) {
                    edgeEvents.publish(new ChatEvents.SessionDisconnected(prefix + i, UserId.of(UUID.randomUUID()),
                            Instant.now()));
                }
                raised.set(true);
            });
            // One transaction per event would wait here for a connection (and give up after the
            // pool's timeout); the storm must be over while the pool is still exhausted.
            await().atMost(Duration.ofSeconds(10)).untilTrue(raised);
            storm.join();
        } finally {
            for (Connection connection : taken) {
                connection.close();
            }
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> jdbc.sql("""
                SELECT (SELECT count(*) FROM audit.pending_entry WHERE session_id LIKE :prefix)
                     + (SELECT count(*) FROM audit.entry WHERE session_id LIKE :prefix)
                """).param("prefix", prefix + "%").query(Long.class).single() == sessions);
        assertThat(jdbc.sql("""
                SELECT count(DISTINCT session_id) FROM (
                    SELECT session_id FROM audit.pending_entry WHERE session_id LIKE :prefix
                    UNION ALL SELECT session_id FROM audit.entry WHERE session_id LIKE :prefix) recorded
                """).param("prefix", prefix + "%").query(Long.class).single()).as("each once").isEqualTo(sessions);
    }
}
