package io.chorus.platform.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

    /**
     * The one source of "now", so that time-dependent rules can be exercised deliberately. It
     * ticks in microseconds, the precision PostgreSQL keeps: an instant handed out at once (an
     * acknowledgement, a live event) is the same one later read back from the database.
     */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.of(1, ChronoUnit.MICROS));
    }

    /** Static: a post-processor must exist before the data sources it configures. */
    @Bean
    static SynchronousCommits synchronousCommits() {
        return new SynchronousCommits();
    }

    /** Static, as above: it wraps the data sources as they are made. */
    @Bean
    static DatabaseAvailability databaseAvailability() {
        return new DatabaseAvailability();
    }

    @Bean
    StrictJson strictJson() {
        return new StrictJson();
    }
}
