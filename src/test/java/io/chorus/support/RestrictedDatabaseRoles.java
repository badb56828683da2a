package io.chorus.support;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The production roles of docs/operations.md ("PostgreSQL roles") on the embedded server: the
 * database belongs to {@value #OWNER}, Flyway runs as that owner, and the application connects as
 * {@value #APPLICATION}, which gets only what the grants script gives it (no UPDATE or DELETE on the
 * audit trail). On when {@code chorus.test.database-roles=restricted}: the Maven profile
 * {@code restricted-database-roles} sets it for the audit suite, and a test class may set it with
 * {@code @TestPropertySource}. Otherwise the tests run as one superuser, as local mode does.
 *
 * <p>Registered in {@code META-INF/spring.factories}, so it runs before any bean exists: it adds the
 * Flyway settings, and, once the embedded server has started but before anything connects, creates
 * the roles and the database and points the application's pool at them.
 */
public final class RestrictedDatabaseRoles implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String SWITCH = "chorus.test.database-roles";
    public static final String OWNER = "chorus_owner";
    public static final String APPLICATION = "chorus_app";
    static final String DATABASE = "chorus";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!"restricted".equals(context.getEnvironment().getProperty(SWITCH))) {
            return;
        }
        // What an operator sets: SPRING_FLYWAY_USER/_PASSWORD for the owner; the role to grant is
        // the application's user (CHORUS_DB_USER), named here because the embedded pool sets its own.
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("restricted-database-roles",
                Map.of("spring.flyway.user", OWNER, "spring.flyway.password", "",
                        "spring.flyway.placeholders.application-role", APPLICATION)));
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) throws BeansException {
                if (bean instanceof HikariDataSource pool && "dataSource".equals(name)) {
                    splitRoles(pool);
                }
                return bean;
            }
        });
    }

    /** The roles and database as the operator's script makes them, then the pool as the application role. */
    private static void splitRoles(HikariDataSource pool) {
        String superuserUrl = pool.getJdbcUrl();
        try (Connection admin = DriverManager.getConnection(superuserUrl);
                Statement sql = admin.createStatement()) {
            // docs/operations.md: the same statements, less the passwords (the embedded server trusts local logins).
            sql.execute("CREATE ROLE " + OWNER + " LOGIN");
            sql.execute("CREATE ROLE " + APPLICATION + " LOGIN");
            sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
            sql.execute("REVOKE ALL ON DATABASE " + DATABASE + " FROM PUBLIC");
            sql.execute("GRANT CONNECT ON DATABASE " + DATABASE + " TO " + APPLICATION);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the restricted database roles", e);
        }
        // The embedded server's URL names the superuser (?user=postgres), which would win over the pool's user.
        pool.setJdbcUrl(superuserUrl.substring(0, superuserUrl.lastIndexOf('/') + 1) + DATABASE);
        pool.setUsername(APPLICATION);
    }
}
