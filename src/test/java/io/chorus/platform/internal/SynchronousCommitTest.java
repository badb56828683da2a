package io.chorus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.chorus.support.ChorusIntegrationTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Commits that Chorus acknowledges wait for the WAL to reach disk, on a server whose own default
 * (the embedded one ships with {@code synchronous_commit=off}) would not.
 */
@ChorusIntegrationTest
class SynchronousCommitTest {

    @Autowired
    DataSource dataSource;

    @Test
    void everyPooledConnectionCommitsSynchronouslyThoughTheServerDefaultIsOff() throws SQLException {
        // The pool itself, inside the wrapper that watches whether the database can be reached.
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        try (Connection direct = DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), null)) {
            assertThat(setting(new SingleConnectionDataSource(direct, true)))
                    .as("the server's default, for a session that asks for nothing").isEqualTo("off");
        }

        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                all.add(pool.getConnection());
            }
            for (Connection connection : all) {
                JdbcClient session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
                assertThat(setting(session)).isEqualTo("on");
                // Nothing a session runs can fall back to the server's default.
                session.sql("RESET ALL").update();
                assertThat(setting(session)).as("after RESET ALL").isEqualTo("on");
            }
        } finally {
            for (Connection connection : all) {
                connection.close();
            }
        }
    }

    @Test
    void anApplicationWhoseSessionsWouldNotCommitSynchronouslyDoesNotStart() throws SQLException {
        // The pool itself, inside the wrapper that watches whether the database can be reached.
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.register(PlatformConfiguration.class);
            context.registerBean("dataSource", HikariDataSource.class, () -> {
                HikariDataSource misconfigured = new HikariDataSource();
                // Options of the operator's own in the JDBC URL win over the driver property Chorus sets.
                misconfigured.setJdbcUrl(pool.getJdbcUrl() + "&options=-c%20synchronous_commit%3Doff");
                misconfigured.setUsername(pool.getUsername());
                return misconfigured;
            });
            assertThatThrownBy(context::refresh).hasMessageContaining("synchronous_commit=off");
        }
    }

    private static String setting(DataSource source) {
        return setting(JdbcClient.create(source));
    }

    private static String setting(JdbcClient session) {
        return session.sql("SHOW synchronous_commit").query(String.class).single();
    }
}
