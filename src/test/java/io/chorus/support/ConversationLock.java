package io.chorus.support;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Holds a conversation's row lock from the test's own connection, so that every send to that
 * conversation waits in the database until {@link #close}: a deterministic way to keep a send
 * in progress (and its slot taken) for as long as the test needs.
 */
public final class ConversationLock implements AutoCloseable {

    private final Connection connection;
    private final JdbcClient jdbc;

    private ConversationLock(Connection connection, JdbcClient jdbc) {
        this.connection = connection;
        this.jdbc = jdbc;
    }

    public static ConversationLock hold(DataSource dataSource, UUID conversationId) {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT id FROM chat.conversation WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, conversationId);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        throw new AssertionError("no conversation " + conversationId);
                    }
                }
            }
            return new ConversationLock(connection, JdbcClient.create(dataSource));
        } catch (SQLException failed) {
            throw new IllegalStateException(failed);
        }
    }

    /** Waits until {@code count} other transactions wait for a lock (the sends held up by this one). */
    public void awaitWaiters(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
                .query(Long.class).single() >= count);
    }

    /** Lets the held sends go on; closing again does nothing. */
    @Override
    public void close() {
        try {
            if (connection.isClosed()) {
                return;
            }
            connection.rollback();
            connection.close();
        } catch (SQLException failed) {
            throw new IllegalStateException(failed);
        }
    }
}
