package io.chorus.platform.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Whether the database can be reached, as every request, job and health check finds out when it
 * asks the pool for a connection: the first refusal logs one WARN line, the first connection
 * after it one INFO line with how long the outage lasted. Between the two, each failure is
 * answered 503 {@code DATABASE_UNAVAILABLE} at the edge without a stack trace, so an outage
 * reads as two lines in the log, not as one stack per request.
 *
 * <p>It sees the pool's answers by wrapping every {@link DataSource} bean (the embedded one and
 * the one Spring Boot builds for a PostgreSQL server alike) in a {@link DelegatingDataSource},
 * which Spring Boot still unwraps to Hikari for its pool metrics.
 */
final class DatabaseAvailability implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);

    // Wall-clock time of its own: a post-processor comes before the application's Clock bean.
    private final AtomicReference<Instant> unavailableSince = new AtomicReference<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource source && !(bean instanceof Observed) ? new Observed(source, this) : bean;
    }

    /** Whether the last attempt to get a connection failed. */
    boolean unavailable() {
        return unavailableSince.get() != null;
    }

    void refused(SQLException failure) {
        Instant now = Instant.now();
        if (unavailableSince.compareAndSet(null, now)) {
            log.warn("The database cannot be reached ({}); requests that need it are answered 503 "
                    + "DATABASE_UNAVAILABLE and readiness is DOWN until it is back", summary(failure));
        }
    }

    void reached() {
        if (unavailableSince.get() == null) {
            return;
        }
        Instant since = unavailableSince.getAndSet(null);
        if (since != null) {
            log.info("The database can be reached again, after {} s unavailable",
                    Duration.between(since, Instant.now()).toSeconds());
        }
    }

    /** The failure and its root cause in one line: the pool's message alone says only "timed out". */
    private static String summary(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 32; depth++) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage())
                : failure.getMessage() + ": " + root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** A data source that reports each attempt to connect; closing it closes the pool it wraps. */
    static final class Observed extends DelegatingDataSource implements AutoCloseable {

        private final DatabaseAvailability availability;

        Observed(DataSource pool, DatabaseAvailability availability) {
            super(pool);
            this.availability = availability;
        }

        /**
         * Unwrapped as a plain DataSource, it is the pool: Spring Boot derives Flyway's own data
         * source (the schema owner, SPRING_FLYWAY_USER) from the pool's settings, and could not
         * read them from this wrapper ("Unable to find suitable method for url").
         */
        @Override
        @SuppressWarnings("unchecked")
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type == DataSource.class ? (T) getTargetDataSource() : super.unwrap(type);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return observed(super::getConnection);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return observed(() -> super.getConnection(username, password));
        }

        private Connection observed(ConnectionAttempt attempt) throws SQLException {
            try {
                Connection connection = attempt.connect();
                availability.reached();
                return connection;
            } catch (SQLException failure) {
                availability.refused(failure);
                throw failure;
            }
        }

        private interface ConnectionAttempt {
            Connection connect() throws SQLException;
        }

        @Override
        public void close() throws Exception {
            if (getTargetDataSource() instanceof AutoCloseable pool) {
                pool.close();
            }
        }
    }
}
