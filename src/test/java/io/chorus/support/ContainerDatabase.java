package io.chorus.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The one place where a test application's PostgreSQL is chosen. The test profile asks for the
 * embedded PostgreSQL ({@code chorus.platform.embedded-database.enabled}); where {@link TestServers}
 * chose containers, this points the application at a fresh database of its own in the JVM's
 * PostgreSQL container instead, as the embedded path gives every application context a fresh server.
 * A test that needs the embedded server itself (it stops it, or reads its folder) sets
 * {@code chorus.test.containers=false} for its context.
 *
 * <p>Properties rather than {@code @ServiceConnection}: every test context that asks for the embedded
 * database must be redirected, including those not built from {@code @ChorusIntegrationTest}, and the
 * embedded database's own switch must go off in the same step.
 */
public class ContainerDatabase implements EnvironmentPostProcessor {

    private static final AtomicInteger databases = new AtomicInteger();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("chorus.platform.embedded-database.enabled", Boolean.class, false)) {
            return;
        }
        // A context's own setting wins over the JVM's choice (which a -D setting of the same name already made).
        String own = environment.getProperty(TestServers.PROPERTY, "auto");
        boolean containers = own.equals("true") || own.equals("false") ? Boolean.parseBoolean(own)
                : TestServers.fromContainers();
        if (containers) {
            environment.getPropertySources().addFirst(new MapPropertySource("chorus-container-database",
                    Map.of("chorus.platform.embedded-database.enabled", "false",
                            "spring.datasource.url", freshDatabase(),
                            "spring.datasource.username", TestContainers.postgres().getUsername(),
                            "spring.datasource.password", TestContainers.postgres().getPassword(),
                            // The embedded path's pool size: several suites' worth of connections at once.
                            "spring.datasource.hikari.maximum-pool-size", "20")));
        }
    }

    private static String freshDatabase() {
        var server = TestContainers.postgres();
        String name = "chorus_" + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(server.getJdbcUrl(), server.getUsername(),
                server.getPassword()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " in the PostgreSQL container", e);
        }
        return server.getJdbcUrl().replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
    }
}
