package io.chorus.support;

import com.zaxxer.hikari.HikariDataSource;
import io.chorus.ChorusApplication;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Chorus application node started by a test, as a second pod of a deployment would be: the
 * test profile, its own port, and whatever properties set it apart (the database of the first
 * node, the broker relay). Tokens a node's {@link #clients()} mint are this node's own (local
 * mode: each node has its own signing key), so a client uses the clients of the node it talks to.
 */
public final class ChorusNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final TestClients clients;

    private ChorusNode(ConfigurableApplicationContext context) {
        this.context = context;
        this.clients = new TestClients(context.getBean(LocalTokenIssuer.class), context, context.getBean(JsonMapper.class));
    }

    /** Starts a node; {@code properties} override the test profile's. */
    public static ChorusNode start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("server.port", 0);
        // As command-line arguments: they win over the test profile's settings (builder properties would not).
        String[] arguments = all.entrySet().stream().map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        return new ChorusNode(new SpringApplicationBuilder(ChorusApplication.class)
                .profiles("test")
                .run(arguments));
    }

    /** Starts a node on the database of {@code first}, as every node of a deployment shares one. */
    public static ChorusNode besides(ChorusNode first, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("chorus.platform.embedded-database.enabled", false);
        all.put("spring.datasource.url", first.jdbcUrl());
        all.put("spring.datasource.username", "postgres");
        return start(all);
    }

    private String jdbcUrl() {
        try {
            return context.getBean(DataSource.class).unwrap(HikariDataSource.class).getJdbcUrl();
        } catch (SQLException e) {
            throw new IllegalStateException("The node's pool is not Hikari", e);
        }
    }

    public TestClients clients() {
        return clients;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public boolean isRunning() {
        return context.isActive();
    }

    @Override
    public void close() {
        context.close();
    }
}
