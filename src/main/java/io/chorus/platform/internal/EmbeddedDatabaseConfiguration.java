package io.chorus.platform.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL server (not an in-memory imitation) inside the application's
 * process tree, so that `./mvnw spring-boot:run` and the tests need nothing installed.
 * Off unless {@code chorus.platform.embedded-database.enabled}; production points
 * {@code spring.datasource.url} at a PostgreSQL server instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chorus.platform.embedded-database.enabled", havingValue = "true")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseProperties properties) throws IOException {
        // The context stops the server (destroyMethod) after everything that still needs it; the
        // library's own JVM shutdown hook would stop it concurrently, under beans still closing.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .setRegisterShutdownHook(false);
        if (properties.port() > 0) {
            builder.setPort(properties.port());
        }
        if (properties.dataDirectory() != null && !properties.dataDirectory().isBlank()) {
            Path directory = Path.of(properties.dataDirectory()).toAbsolutePath();
            Files.createDirectories(directory);
            builder.setDataDirectory(directory).setCleanDataDirectory(false);
            log.info("Embedded PostgreSQL keeps its data in {}", directory);
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL listening on port {}", postgres.getPort());
        return postgres;
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        // Not built from a HikariConfig: that would open the pool at once, before SynchronousCommits
        // had its say about how connections start.
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(20);
        pool.setPoolName("chorus-embedded");
        return pool;
    }
}
