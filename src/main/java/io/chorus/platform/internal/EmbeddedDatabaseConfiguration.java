package io.chorus.platform.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL server ({@link EmbeddedDatabase}) beside the application, so that
 * `./mvnw spring-boot:run` and the tests need nothing installed.
 * Off unless {@code chorus.platform.embedded-database.enabled}; production points
 * {@code spring.datasource.url} at a PostgreSQL server instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chorus.platform.embedded-database.enabled", havingValue = "true")
class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(EmbeddedDatabaseProperties properties) throws IOException {
        return EmbeddedDatabase.start(properties);
    }

    /**
     * Takes the pool settings production takes ({@code spring.datasource.hikari.*}: the wait for a
     * connection, the driver's connect and socket timeouts), so that an outage of the embedded
     * server behaves as one of a real server does; they are bound after this method returns.
     */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedDatabase database) {
        // Not built from a HikariConfig: that would open the pool at once, before SynchronousCommits
        // had its say about how connections start.
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database.jdbcUrl());
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(20);
        pool.setPoolName("chorus-embedded");
        return pool;
    }
}
